import { MISSING_CODE } from "#shared/drift/dataset";
import { FNV1A_PRIME, FNV1A_SEED } from "#shared/util/fnv1a";
import type { ByteInterner } from "./byte-interner.ts";
import type { CsvColumns } from "./csv-columns.ts";
import type { CsvCursor } from "./csv-cursor.ts";
import type { InputFileError } from "./input-file-error.ts";

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** Digits that fit a double exactly (10^15 < 2^53), so digits / 10^k is one correctly rounded division. */
const MAX_PLAIN_DIGITS = 15;
const POWERS_OF_TEN = Array.from({ length: MAX_PLAIN_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * Reads every record from the cursor's position into the columns; returns the row count. This is
 * the hot loop of the CLI, so the position lives in a local and the two common cells take a fast
 * path in one pass over their bytes: a plain decimal in a numeric column (`[-]digits[.digits]`, at
 * most 15 digits: parsed while scanned) and an unquoted cell in a categorical column (hashed while
 * scanned). Every other cell (quotes, exponents, blanks, a number column meeting text) goes through
 * the cursor and {@link CsvColumns.store}.
 *
 * @throws InputFileError for a record without one field per column (naming its line), and the cursor's errors
 */
export function readRecords(cursor: CsvCursor, columns: CsvColumns, width: number): number {
  const bytes = cursor.bytes;
  const length = bytes.length;
  const { numbers, codes, interners } = columns;
  let pos = cursor.pos;
  let rows = 0;
  while (pos < length) {
    let c = bytes[pos] as number;
    if (c === LF || c === CR) {
      pos++;
      continue;
    }
    if (rows === columns.capacity) columns.grow();
    const recordStart = pos;
    let ended = false;
    let col = 0;
    for (; !ended; col++) {
      if (col === width) throw raggedRecord(cursor, recordStart, width);
      const values = numbers[col];
      // Past the last byte, bytes[p] is undefined. The digit scans need no bounds check (undefined
      // fails every comparison, so they stop and the field is not plain); the category scan, which
      // runs until a delimiter, checks the length. Either way a last field without a final line
      // break takes the general path.
      let p = pos;
      c = bytes[p] as number;
      if (values) {
        const negative = c === MINUS;
        if (negative) c = bytes[++p] as number;
        const digitsStart = p;
        let mantissa = 0;
        while (c >= ZERO && c <= NINE) {
          mantissa = mantissa * 10 + (c - ZERO);
          c = bytes[++p] as number;
        }
        const digits = p - digitsStart;
        let fractionDigits = 0;
        if (c === DOT && digits > 0) {
          const fractionStart = p + 1;
          c = bytes[++p] as number;
          while (c >= ZERO && c <= NINE) {
            mantissa = mantissa * 10 + (c - ZERO);
            c = bytes[++p] as number;
          }
          fractionDigits = p - fractionStart;
        }
        const plain =
          (c === COMMA || c === LF || c === CR) &&
          digits + fractionDigits <= MAX_PLAIN_DIGITS &&
          (digits > 0 || !negative);
        if (plain) {
          const magnitude =
            digits === 0
              ? Number.NaN
              : fractionDigits === 0
                ? mantissa
                : mantissa / (POWERS_OF_TEN[fractionDigits] as number);
          values[rows] = negative ? -magnitude : magnitude;
          ended = c !== COMMA;
          pos = c === CR && bytes[p + 1] === LF ? p + 2 : p + 1;
          continue;
        }
      } else if (c !== QUOTE && c !== SPACE && c !== TAB && p < length) {
        let hash = FNV1A_SEED;
        while (c !== COMMA && c !== LF && c !== CR && p < length) {
          hash = Math.imul(hash ^ c, FNV1A_PRIME);
          c = bytes[++p] as number;
        }
        if (p < length) {
          const interner = interners[col] as ByteInterner;
          (codes[col] as Int32Array)[rows] =
            p === pos ? MISSING_CODE : interner.internHashed(bytes, pos, p, hash);
          ended = c !== COMMA;
          pos = c === CR && bytes[p + 1] === LF ? p + 2 : p + 1;
          continue;
        }
      }
      cursor.pos = pos;
      ended = cursor.readField();
      columns.store(cursor, col, rows);
      pos = cursor.pos;
    }
    if (col !== width) throw raggedRecord(cursor, recordStart, width);
    rows++;
  }
  cursor.pos = pos;
  return rows;
}

/** The error for a record that does not have one field per column, counting its fields. */
function raggedRecord(cursor: CsvCursor, recordStart: number, width: number): InputFileError {
  cursor.pos = recordStart;
  let fields = 1;
  while (!cursor.readField()) fields++;
  return cursor.error(recordStart, `${fields} fields where the header has ${width}`);
}
