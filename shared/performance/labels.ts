import { compareCodePoints } from "#shared/stats/contingency";
/**
 * A class label as the metrics compare it. Predictions and ground truth may log the same class as the number
 * 1 or the string "1"; both are the label "1".
 *
 * @example
 * labelOf(1) === labelOf("1"); // true
 */
export function labelOf(value: string | number): string {
  return String(value);
}

/**
 * Labels in the order sklearn gives classes (`unique_labels`, `LabelBinarizer.classes_`, which come from
 * `np.unique`): numeric when every label is the canonical text of a finite number, as for integer classes
 * ("2" before "10"), otherwise by Unicode code point, numpy's order for string arrays. That order fixes the rows
 * and columns of the confusion matrix and which of two classes is the positive one.
 *
 * @example
 * sortLabels(["10", "2", "1"]); // ["1", "2", "10"]
 * sortLabels(["b", "10", "a", "2"]); // ["10", "2", "a", "b"]
 */
export function sortLabels(labels: Iterable<string>): string[] {
  const sorted = [...new Set(labels)];
  if (sorted.every(isCanonicalNumber)) return sorted.sort((a, b) => Number(a) - Number(b));
  return sorted.sort(compareCodePoints);
}

function isCanonicalNumber(label: string): boolean {
  const value = Number(label);
  return Number.isFinite(value) && String(value) === label;
}
