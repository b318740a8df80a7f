import { type Column, MISSING_CODE } from "./dataset.ts";

/** A column tallied by category label, the input of every categorical test. */
export interface CategoryCounts {
  /** Rows per category label. */
  counts: Map<string, number>;
  missing: number;
  rows: number;
}

/**
 * Tallies a column by category, comparing categories as strings (CONTRACT §5): a categorical column
 * through its dictionary codes, in one pass over an Int32Array; a numeric one (when the other dataset
 * holds the column as categorical, or the model config says categorical) by distinct value, each
 * labelled `String(value)`, so 3 and 3.0 are one category and -0 is "0". The empty label counts as
 * missing, as NaN and the missing code do.
 *
 * @example
 * countCategories({ kind: "categorical", codes: new Int32Array([0, 1, 0, -1]), dictionary: ["a", "b"] });
 * // { counts: Map { "a" => 2, "b" => 1 }, missing: 1, rows: 4 }
 */
export function countCategories(column: Column): CategoryCounts {
  if (column.kind === "categorical") return countCodes(column.codes, column.dictionary);
  const byValue = new Map<number, number>();
  let missing = 0;
  for (const value of column.values) {
    if (Number.isNaN(value)) missing++;
    else byValue.set(value, (byValue.get(value) ?? 0) + 1);
  }
  const counts = new Map<string, number>();
  for (const [value, count] of byValue) addCount(counts, String(value), count);
  return { counts, missing, rows: column.values.length };
}

function countCodes(codes: Int32Array, dictionary: readonly string[]): CategoryCounts {
  const perCode = new Float64Array(dictionary.length);
  let missing = 0;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code === MISSING_CODE) missing++;
    else perCode[code] = (perCode[code] as number) + 1;
  }
  const counts = new Map<string, number>();
  dictionary.forEach((label, code) => {
    const count = perCode[code] as number;
    if (count === 0) return;
    if (label === "") missing += count;
    else addCount(counts, label, count);
  });
  return { counts, missing, rows: codes.length };
}

function addCount(counts: Map<string, number>, label: string, count: number): void {
  counts.set(label, (counts.get(label) ?? 0) + count);
}
