import type { ConfusionMatrix } from "#shared/schemas/performance-metrics";

/**
 * The share of rows predicted right, `sklearn.metrics.accuracy_score(y_true, y_pred)` (normalize=True): the
 * trace of the confusion matrix over its total.
 *
 * @param matrix with at least one row counted
 * @example
 * // sklearn's docstring: y_true = [0, 1, 2, 3], y_pred = [0, 2, 1, 3]
 * accuracy({ labels: ["0", "1", "2", "3"], counts: [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]] }); // 0.5
 */
export function accuracy(matrix: ConfusionMatrix): number {
  let correct = 0;
  let total = 0;
  matrix.counts.forEach((row, i) => {
    correct += row[i] ?? 0;
    for (const count of row) total += count;
  });
  return correct / total;
}
