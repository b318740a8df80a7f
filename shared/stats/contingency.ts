import { NotApplicableError } from "./not-applicable.ts";

/** A raw value of a categorical column; categories are compared as strings. */
export type CategoricalValue = string | number | boolean | bigint | null | undefined;

/**
 * The 2 x k table of counts behind every categorical test: one column per category of the union of both
 * samples, one row per sample. Categories are sorted by Unicode code point, like Python's `sorted()`, so
 * "the first category" of the two-proportion z-test and of Fisher's table is the same as in the scipy
 * reference vectors.
 */
export interface ContingencyTable {
  readonly categories: readonly string[];
  /** Reference count of each category, aligned with `categories`. */
  readonly reference: Float64Array;
  /** Current count of each category, aligned with `categories`. */
  readonly current: Float64Array;
}

/** A {@link ContingencyTable} with the number of missing values it left out of each sample. */
export interface CategoricalCounts extends ContingencyTable {
  readonly missing: { readonly reference: number; readonly current: number };
}

/**
 * Counts both samples of a categorical feature into one {@link ContingencyTable}, in a single pass per
 * sample. Missing values (null, undefined, NaN and the empty string) are left out and counted in `missing`;
 * every other value is a category under `String(value)`.
 *
 * @example
 * buildContingencyTable(["b", "a", null, "a"], ["a", "c"]);
 * // { categories: ["a", "b", "c"], reference: [2, 1, 0], current: [1, 0, 1],
 * //   missing: { reference: 1, current: 0 } }
 */
export function buildContingencyTable(
  reference: ArrayLike<CategoricalValue>,
  current: ArrayLike<CategoricalValue>,
): CategoricalCounts {
  const indexOf = new Map<string, number>();
  const referenceCounts: number[] = [];
  const currentCounts: number[] = [];
  const tally = (values: ArrayLike<CategoricalValue>, own: number[], other: number[]): number => {
    let missing = 0;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (isMissing(value)) {
        missing++;
        continue;
      }
      const label = String(value);
      const index = indexOf.get(label);
      if (index === undefined) {
        indexOf.set(label, own.length);
        own.push(1);
        other.push(0);
      } else {
        own[index] = (own[index] as number) + 1;
      }
    }
    return missing;
  };
  const missingReference = tally(reference, referenceCounts, currentCounts);
  const missingCurrent = tally(current, currentCounts, referenceCounts);

  const sorted = [...indexOf].sort(([a], [b]) => compareCodePoints(a, b));
  const table = {
    categories: sorted.map(([category]) => category),
    reference: new Float64Array(sorted.length),
    current: new Float64Array(sorted.length),
    missing: { reference: missingReference, current: missingCurrent },
  };
  sorted.forEach(([, index], k) => {
    table.reference[k] = referenceCounts[index] as number;
    table.current[k] = currentCounts[index] as number;
  });
  return table;
}

/**
 * Expected counts of each cell under homogeneity, `row total · column total / grand total`, with the same
 * arithmetic as `scipy.stats.contingency.expected_freq`.
 *
 * @throws NotApplicableError when a sample or a category has no values (scipy raises ValueError on a zero
 *   expected frequency)
 * @example
 * expectedCounts({ categories: ["a", "b"], reference: new Float64Array([3, 1]), current: new Float64Array([1, 3]) });
 * // { reference: Float64Array [2, 2], current: Float64Array [2, 2] }
 */
export function expectedCounts(table: ContingencyTable): { reference: Float64Array; current: Float64Array } {
  const referenceTotal = countTotal(table.reference);
  const currentTotal = countTotal(table.current);
  if (referenceTotal === 0 || currentTotal === 0) {
    throw new NotApplicableError("a contingency test needs at least one value in each sample");
  }
  const grandTotal = referenceTotal + currentTotal;
  const reference = new Float64Array(table.categories.length);
  const current = new Float64Array(table.categories.length);
  for (let k = 0; k < reference.length; k++) {
    const columnTotal = (table.reference[k] as number) + (table.current[k] as number);
    if (columnTotal === 0) {
      throw new NotApplicableError(`category "${table.categories[k]}" has no values in either sample`);
    }
    reference[k] = (referenceTotal * columnTotal) / grandTotal;
    current[k] = (currentTotal * columnTotal) / grandTotal;
  }
  return { reference, current };
}

/** Number of values in one row (sample) of a table. */
export function countTotal(counts: Float64Array): number {
  let sum = 0;
  for (const count of counts) sum += count;
  return sum;
}

function isMissing(value: CategoricalValue): boolean {
  return value === null || value === undefined || value === "" || Number.isNaN(value);
}

/**
 * Orders strings by Unicode code point, as Python does. JavaScript's default sort compares UTF-16 code
 * units, which puts astral characters (surrogate pairs, 0xD800-0xDFFF) before U+E000-U+FFFF; shifting the
 * two ranges past each other restores code point order.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(codeUnit: number): number {
  if (codeUnit >= 0xe000) return codeUnit - 0x800;
  if (codeUnit >= 0xd800) return codeUnit + 0x2000;
  return codeUnit;
}
