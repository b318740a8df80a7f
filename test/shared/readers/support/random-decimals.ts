/** A small deterministic generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Decimal numbers as a CSV writer might print them: optional sign, up to 20 integer and fraction
 * digits (past the 15 that fit a double exactly), sometimes an exponent up to ±330.
 */
export function randomDecimalTexts(count: number, seed: number): string[] {
  const next = random(seed);
  const digits = (length: number) => Array.from({ length }, () => Math.floor(next() * 10)).join("");
  return Array.from({ length: count }, () => {
    const sign = ["", "-", "+"][Math.floor(next() * 3)];
    const integer = digits(Math.floor(next() * 12)) || "0";
    const fraction = next() < 0.6 ? `.${digits(Math.floor(next() * 12))}` : "";
    const exponent = next() < 0.3 ? `e${next() < 0.5 ? "-" : ""}${Math.floor(next() * 330)}` : "";
    return `${sign}${integer}${fraction}${exponent}`;
  });
}
