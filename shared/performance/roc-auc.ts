import { tieGroups } from "#shared/stats/tie-groups";

/**
 * Area under the ROC curve of one class against the rest, from that class's scores on the rows where it is
 * the actual label (positives) and on the others (negatives): `sklearn.metrics.roc_auc_score(y_true, y_score)`
 * for binary `y_true`, which integrates sklearn's `roc_curve` by the trapezoidal rule. A group of tied scores
 * moves the curve diagonally, so the trapezoids add up to the Mann-Whitney probability with ties counted half
 * (Hanley & McNeil, Radiology 143(1), 1982):
 *
 *   AUC = (#{(p, n) : s_p > s_n} + ½ #{(p, n) : s_p = s_n}) / (n₊ n₋) = U₊ / (n₊ n₋),
 *
 * U₊ the Mann-Whitney statistic of the positives with mid-ranks. Counted over the merged ranking of the two
 * sorted samples in O(n₊ + n₋); the count is exact (integers and halves) up to 2^53 pairs, where sklearn's
 * trapezoids accumulate rounding.
 *
 * @param positives sorted ascending, not empty, no NaN
 * @param negatives sorted ascending, not empty, no NaN
 * @example
 * // sklearn's roc_curve docstring: y = [1, 1, 2, 2], scores = [0.1, 0.4, 0.35, 0.8], pos_label=2
 * rocAuc(new Float64Array([0.35, 0.8]), new Float64Array([0.1, 0.4])); // 0.75
 */
export function rocAuc(positives: Float64Array, negatives: Float64Array): number {
  const { size, countA, countB } = tieGroups(positives, negatives);
  let pairsWon = 0;
  let negativesBelow = 0;
  for (let g = 0; g < size; g++) {
    const tiedNegatives = countB[g] as number;
    pairsWon += (countA[g] as number) * (negativesBelow + tiedNegatives / 2);
    negativesBelow += tiedNegatives;
  }
  return pairsWon / (positives.length * negatives.length);
}
