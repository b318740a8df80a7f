/**
 * Decimal numbers read straight from a file's bytes, so a CSV column of a million numbers never
 * becomes a million strings.
 */

const ZERO = 48;
const NINE = 57;
const SPACE = 32;
const TAB = 9;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/** Digits that fit a double exactly (10^15 < 2^53), the precondition of the exact fast path. */
const MAX_EXACT_DIGITS = 15;

/** 10^0 .. 10^22: the powers of ten a double holds exactly. */
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const latin1 = new TextDecoder("latin1");

/**
 * Parses `bytes[start, end)` as a decimal number, `[ws][+|-]digits[.digits][(e|E)[+|-]digits][ws]`
 * (at least one mantissa digit; spaces and tabs around it are ignored), returning exactly what
 * `Number()` returns for that text, or NaN when the text is not such a number (hex, `Infinity`, words,
 * empty).
 *
 * The common case (at most 15 significant digits, scale within 10^±22) is one exact integer times or
 * divided by one exact power of ten: a single IEEE operation, hence correctly rounded (Clinger's fast
 * path). Anything else falls back to `Number()` on the text.
 *
 * @example
 * parseDecimalBytes(new TextEncoder().encode("x,-12.5e1,"), 2, 9); // -125
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  while (start < end && isBlankByte(bytes[start] as number)) start++;
  while (end > start && isBlankByte(bytes[end - 1] as number)) end--;
  let pos = start;
  let negative = false;
  let c = bytes[pos];
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    pos++;
  }
  let mantissa = 0;
  let significantDigits = 0;
  let digits = 0;
  let scale = 0;
  for (; pos < end; pos++) {
    c = bytes[pos] as number;
    if (c < ZERO || c > NINE) break;
    digits++;
    if (mantissa !== 0 || c !== ZERO) {
      significantDigits++;
      mantissa = mantissa * 10 + (c - ZERO);
    }
  }
  if (pos < end && bytes[pos] === DOT) {
    for (pos++; pos < end; pos++) {
      c = bytes[pos] as number;
      if (c < ZERO || c > NINE) break;
      digits++;
      scale--;
      if (mantissa !== 0 || c !== ZERO) {
        significantDigits++;
        mantissa = mantissa * 10 + (c - ZERO);
      }
    }
  }
  if (digits === 0) return Number.NaN;
  if (pos < end && (bytes[pos] === LOWER_E || bytes[pos] === UPPER_E)) {
    pos++;
    let exponentNegative = false;
    if (bytes[pos] === MINUS || bytes[pos] === PLUS) exponentNegative = bytes[pos++] === MINUS;
    let exponent = 0;
    let exponentDigits = 0;
    for (; pos < end; pos++) {
      c = bytes[pos] as number;
      if (c < ZERO || c > NINE) break;
      exponentDigits++;
      // Saturate: any exponent this large already means 0 or Infinity, left to Number() below.
      if (exponent < 100_000) exponent = exponent * 10 + (c - ZERO);
    }
    if (exponentDigits === 0) return Number.NaN;
    scale += exponentNegative ? -exponent : exponent;
  }
  if (pos !== end) return Number.NaN;
  if (significantDigits > MAX_EXACT_DIGITS || scale > 22 || scale < -22) {
    return Number(latin1.decode(bytes.subarray(start, end)));
  }
  const magnitude =
    scale >= 0
      ? mantissa * (EXACT_POWERS_OF_TEN[scale] as number)
      : mantissa / (EXACT_POWERS_OF_TEN[-scale] as number);
  return negative ? -magnitude : magnitude;
}

/** Whether `bytes[start, end)` holds only spaces and tabs (or nothing): a missing value. */
export function isBlankBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (let pos = start; pos < end; pos++) if (!isBlankByte(bytes[pos] as number)) return false;
  return true;
}

/** Whether `bytes[start, end)` spells `nan` in any case (how pandas and numpy write a missing number). */
export function isNanText(bytes: Uint8Array, start: number, end: number): boolean {
  while (start < end && isBlankByte(bytes[start] as number)) start++;
  while (end > start && isBlankByte(bytes[end - 1] as number)) end--;
  return (
    end - start === 3 &&
    ((bytes[start] as number) | 0x20) === 110 &&
    ((bytes[start + 1] as number) | 0x20) === 97 &&
    ((bytes[start + 2] as number) | 0x20) === 110
  );
}

function isBlankByte(c: number): boolean {
  return c === SPACE || c === TAB;
}
