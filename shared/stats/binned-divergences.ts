import { NotApplicableError } from "./not-applicable.ts";

/**
 * Divergences between two binned distributions: the reference proportions r and the current proportions c
 * over the same bins (reference deciles for a numeric feature, one bin per category for a categorical one).
 *
 *   psi       = Σ (c' - r') · ln(c' / r')
 *   kl        = Σ c' · ln(c' / r')                      (KL divergence of current from reference)
 *   js        = sqrt((KL(r ‖ m) + KL(c ‖ m)) / (2 ln 2)), m = (r + c) / 2
 *   hellinger = sqrt(1 - Σ sqrt(r · c)) = sqrt(½ Σ (sqrt(r) - sqrt(c))²)
 *   tvd       = ½ Σ |r - c|
 *
 * where r' = max(r, 1e-4) and c' = max(c, 1e-4): psi and kl would be infinite as soon as a bin is empty on
 * one side only (a new category, a bin the current sample misses), so they see such a bin as holding 1e-4.
 * js, hellinger and tvd are bounded and use the proportions as they are. `js` reproduces
 * `scipy.spatial.distance.jensenshannon(r, c, base=2)` (scipy 1.10), a distance in [0, 1].
 *
 * Every function takes two proportion vectors of equal length (see {@link proportions}).
 *
 * @example
 * const r = proportions(new Float64Array([50, 50]));
 * const c = proportions(new Float64Array([100, 0]));
 * totalVariation(r, c); // 0.5
 * hellinger(r, c); // 0.5411961001461969 (= sqrt(1 - sqrt(0.5)))
 */
/** The floor applied to each proportion before `psi` and `kl` (the contract's `floor`). */
export const PROPORTION_FLOOR = 1e-4;

/**
 * Counts per bin divided by their total.
 *
 * @throws NotApplicableError when there is nothing to divide (all counts zero, e.g. an empty sample)
 * @example
 * proportions(new Float64Array([1, 3])); // Float64Array [0.25, 0.75]
 */
export function proportions(counts: Float64Array): Float64Array {
  const total = sumOf(counts);
  if (total === 0) throw new NotApplicableError("binned measures need at least one value in each sample");
  return counts.map((count) => count / total);
}

/**
 * Population stability index, `Σ (c' - r') · ln(c' / r')` with proportions floored at 1e-4.
 *
 * @example
 * psi(new Float64Array([0.5, 0.5]), new Float64Array([0.5, 0.5])); // 0
 */
export function psi(reference: Float64Array, current: Float64Array): number {
  checkSameBins(reference, current);
  let sum = 0;
  for (let k = 0; k < reference.length; k++) {
    const r = Math.max(reference[k] as number, PROPORTION_FLOOR);
    const c = Math.max(current[k] as number, PROPORTION_FLOOR);
    sum += (c - r) * Math.log(c / r);
  }
  return sum;
}

/**
 * Kullback-Leibler divergence of the current distribution from the reference, `Σ c' · ln(c' / r')`, in
 * nats, with proportions floored at 1e-4.
 *
 * @example
 * kl(new Float64Array([0.5, 0.5]), new Float64Array([1, 0])); // 0.6922954... (= ln 2 + 1e-4 · ln(2e-4))
 */
export function kl(reference: Float64Array, current: Float64Array): number {
  checkSameBins(reference, current);
  let sum = 0;
  for (let k = 0; k < reference.length; k++) {
    const r = Math.max(reference[k] as number, PROPORTION_FLOOR);
    const c = Math.max(current[k] as number, PROPORTION_FLOOR);
    sum += c * Math.log(c / r);
  }
  return sum;
}

/**
 * Jensen-Shannon distance with base-2 logarithms, as `scipy.spatial.distance.jensenshannon(r, c, base=2)`:
 * both vectors are renormalised to sum to 1, then `sqrt((Σ rel_entr(r, m) + Σ rel_entr(c, m)) / ln 2 / 2)`.
 * Where rounding leaves the sum a hair below zero (identical distributions), scipy would return NaN; the
 * distance is then 0.
 *
 * @example
 * jensenShannon(new Float64Array([1, 0]), new Float64Array([0, 1])); // 1
 */
export function jensenShannon(reference: Float64Array, current: Float64Array): number {
  checkSameBins(reference, current);
  const referenceTotal = sumOf(reference);
  const currentTotal = sumOf(current);
  let left = 0;
  let right = 0;
  for (let k = 0; k < reference.length; k++) {
    const p = (reference[k] as number) / referenceTotal;
    const q = (current[k] as number) / currentTotal;
    const m = (p + q) / 2;
    left += relativeEntropyTerm(p, m);
    right += relativeEntropyTerm(q, m);
  }
  const js = (left + right) / Math.LN2;
  return Math.sqrt(Math.max(js / 2, 0));
}

/**
 * Hellinger distance, `sqrt(1 - Σ sqrt(r · c))`, in [0, 1], computed as `sqrt(½ Σ (sqrt(r) - sqrt(c))²)`,
 * which equals it for proportions (each vector sums to 1). The textbook form subtracts two numbers close
 * to 1 and leaves a rounding residue whose square root is about 1e-8 for identical distributions; this
 * form sums non-negative terms, so identical inputs give exactly 0 and small distances keep their digits.
 *
 * @example
 * hellinger(new Float64Array([1, 0]), new Float64Array([0, 1])); // 1
 */
export function hellinger(reference: Float64Array, current: Float64Array): number {
  checkSameBins(reference, current);
  let sumOfSquares = 0;
  for (let k = 0; k < reference.length; k++)
    sumOfSquares += (Math.sqrt(reference[k] as number) - Math.sqrt(current[k] as number)) ** 2;
  return Math.sqrt(sumOfSquares / 2);
}

/**
 * Total variation distance, `½ Σ |r - c|`, in [0, 1].
 *
 * @example
 * totalVariation(new Float64Array([0.25, 0.75]), new Float64Array([0.5, 0.5])); // 0.25
 */
export function totalVariation(reference: Float64Array, current: Float64Array): number {
  checkSameBins(reference, current);
  let sum = 0;
  for (let k = 0; k < reference.length; k++)
    sum += Math.abs((reference[k] as number) - (current[k] as number));
  return 0.5 * sum;
}

/** `scipy.special.rel_entr(x, y)` for y > 0, which holds for the mixture m whenever x > 0. */
function relativeEntropyTerm(x: number, y: number): number {
  return x > 0 ? x * Math.log(x / y) : 0;
}

function sumOf(values: Float64Array): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum;
}

function checkSameBins(reference: Float64Array, current: Float64Array): void {
  if (reference.length !== current.length) {
    throw new RangeError(`bin counts differ: ${reference.length} reference, ${current.length} current`);
  }
}
