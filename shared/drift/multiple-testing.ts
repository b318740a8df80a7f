/** Outcome of the Benjamini-Hochberg step-up procedure over a family of p-values. */
export interface BenjaminiHochbergResult {
  /** BH-adjusted p-values (q-values), aligned with the input: reject the i-th hypothesis iff adjusted ≤ q. */
  adjusted: Float64Array;
  /**
   * The step-up cut-off `q · k / m`, k the number of rejections: a raw p-value at or below it is
   * rejected. 0 when nothing is rejected.
   */
  cutoff: number;
  /** Number of rejected hypotheses. */
  rejections: number;
}

/**
 * Benjamini-Hochberg procedure (JRSS B 57(1), 1995): sort the m p-values, find the largest k with
 * p_(k) ≤ k q / m and reject the k smallest. It keeps the expected share of false discoveries among the
 * rejections at q or below for independent (or positively dependent) tests, and when nothing changed at
 * all, the chance of any rejection at q. Adjusted p-values are
 * `adjusted_(i) = min_{j ≥ i} min(1, m p_(j) / j)`, as `statsmodels.stats.multitest.multipletests(p,
 * method="fdr_bh")` computes them.
 *
 * @param pValues each in [0, 1]
 * @param q the false discovery rate, in (0, 1)
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03, 0.005], 0.05);
 * // { adjusted: [0.02, 0.04, 0.04, 0.02], cutoff: 0.05, rejections: 4 }
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, q: number): BenjaminiHochbergResult {
  const m = pValues.length;
  const order = Array.from({ length: m }, (_, i) => i).sort(
    (a, b) => (pValues[a] as number) - (pValues[b] as number),
  );
  let rejections = 0;
  order.forEach((index, rank) => {
    if ((pValues[index] as number) <= ((rank + 1) * q) / m) rejections = rank + 1;
  });
  const adjusted = new Float64Array(m);
  let runningMin = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    runningMin = Math.min(runningMin, (m * (pValues[index] as number)) / (rank + 1));
    adjusted[index] = runningMin;
  }
  return { adjusted, cutoff: rejections === 0 ? 0 : (rejections * q) / m, rejections };
}
