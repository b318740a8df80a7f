import type { ConfusionMatrix } from "#shared/schemas/performance-metrics";
import { sortLabels } from "./labels.ts";

/**
 * How often each actual label was predicted as each label: `counts.get(actual)?.get(predicted)`. It is what
 * every label metric (accuracy, precision, recall, F1, support) is computed from, and counts add up, so
 * per-partition counts merge exactly.
 */
export type ConfusionCounts = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** Adds one (actual, predicted) pair to mutable counts. */
export function countPair(counts: Map<string, Map<string, number>>, actual: string, predicted: string): void {
  let row = counts.get(actual);
  if (row === undefined) {
    row = new Map();
    counts.set(actual, row);
  }
  row.set(predicted, (row.get(predicted) ?? 0) + 1);
}

/**
 * The counts of both partitions; neither input changes.
 *
 * @example
 * mergeConfusion(new Map([["a", new Map([["a", 1]])]]), new Map([["a", new Map([["b", 2]])]]));
 * // Map { "a" => Map { "a" => 1, "b" => 2 } }
 */
export function mergeConfusion(a: ConfusionCounts, b: ConfusionCounts): Map<string, Map<string, number>> {
  const merged = new Map<string, Map<string, number>>();
  for (const counts of [a, b]) {
    for (const [actual, row] of counts) {
      for (const [predicted, count] of row) {
        const mergedRow = merged.get(actual) ?? new Map<string, number>();
        mergedRow.set(predicted, (mergedRow.get(predicted) ?? 0) + count);
        merged.set(actual, mergedRow);
      }
    }
  }
  return merged;
}

/**
 * The confusion matrix, `sklearn.metrics.confusion_matrix(y_true, y_pred)`: rows are actual labels, columns
 * predicted labels, both in the order of `labels`, the sorted union of the actual and predicted labels (sklearn's
 * default `labels=None`, `unique_labels(y_true, y_pred)`; see {@link sortLabels} for the order).
 *
 * @example
 * // sklearn's docstring: y_true = ["cat", "ant", "cat", "cat", "ant", "bird"],
 * //                      y_pred = ["ant", "ant", "cat", "cat", "ant", "cat"]
 * confusionMatrix(counts);
 * // { labels: ["ant", "bird", "cat"], counts: [[2, 0, 0], [0, 0, 1], [1, 0, 2]] }
 */
export function confusionMatrix(counts: ConfusionCounts): ConfusionMatrix {
  const seen = new Set<string>();
  for (const [actual, row] of counts) {
    seen.add(actual);
    for (const predicted of row.keys()) seen.add(predicted);
  }
  const labels = sortLabels(seen);
  return {
    labels,
    counts: labels.map((actual) => labels.map((predicted) => counts.get(actual)?.get(predicted) ?? 0)),
  };
}
