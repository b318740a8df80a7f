import type { ClassScore, ConfusionMatrix, LabelAverages } from "#shared/schemas/performance-metrics";

export interface LabelScores {
  /** In the matrix's label order. */
  perClass: ClassScore[];
  macro: LabelAverages;
  weighted: LabelAverages;
}

/**
 * Precision, recall, F1 and support of every label, and their macro and weighted means, as
 * `sklearn.metrics.precision_recall_fscore_support(y_true, y_pred, beta=1.0, labels=None,
 * zero_division="warn")` gives them with `average=None`, `average="macro"` and `average="weighted"`:
 *
 *   precisionₖ = tpₖ / predictedₖ,  recallₖ = tpₖ / supportₖ,  F1ₖ = 2 tpₖ / (supportₖ + predictedₖ)
 *
 * from the matrix's diagonal, column sums (predictedₖ) and row sums (supportₖ); F1 in that form is sklearn's
 * since 1.3, equal to 2PR/(P + R). The labels are the sorted union of actual and predicted labels, so a label
 * can be one that was never predicted (precision 0/0) or never the actual one (recall 0/0). sklearn's default
 * `zero_division="warn"` answers 0 for such a ratio, with a warning, and the macro mean still counts that 0:
 * one class the model never predicts pulls the macro precision down by 1/K. The weighted mean weights each
 * label by its support, so a never-actual label weighs nothing there.
 *
 * @param matrix with at least one row counted
 * @example
 * // sklearn's docstring: y_true = ["cat", "dog", "pig", "cat", "dog", "pig"],
 * //                      y_pred = ["cat", "pig", "dog", "cat", "cat", "dog"]
 * precisionRecallF1(matrix).macro; // { precision: 0.2222…, recall: 0.3333…, f1: 0.2666… }
 */
export function precisionRecallF1(matrix: ConfusionMatrix): LabelScores {
  const { labels, counts } = matrix;
  const predicted = labels.map((_, j) => counts.reduce((sum, row) => sum + (row[j] ?? 0), 0));
  const perClass = labels.map((label, k): ClassScore => {
    const row = counts[k] ?? [];
    const truePositives = row[k] ?? 0;
    const support = row.reduce((sum, count) => sum + count, 0);
    const predictedAs = predicted[k] ?? 0;
    return {
      label,
      precision: ratioOrZero(truePositives, predictedAs),
      recall: ratioOrZero(truePositives, support),
      f1: ratioOrZero(2 * truePositives, support + predictedAs),
      support,
    };
  });
  const totalSupport = perClass.reduce((sum, score) => sum + score.support, 0);
  const mean = (pick: (score: ClassScore) => number) =>
    perClass.reduce((sum, score) => sum + pick(score), 0) / perClass.length;
  const weightedMean = (pick: (score: ClassScore) => number) =>
    perClass.reduce((sum, score) => sum + pick(score) * score.support, 0) / totalSupport;
  return {
    perClass,
    macro: { precision: mean(byPrecision), recall: mean(byRecall), f1: mean(byF1) },
    weighted: {
      precision: weightedMean(byPrecision),
      recall: weightedMean(byRecall),
      f1: weightedMean(byF1),
    },
  };
}

const byPrecision = (score: ClassScore) => score.precision;
const byRecall = (score: ClassScore) => score.recall;
const byF1 = (score: ClassScore) => score.f1;

/** sklearn's `_prf_divide` with `zero_division="warn"`: an undefined ratio counts as 0. */
function ratioOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
