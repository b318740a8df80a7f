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

/**
 * Code point order. JavaScript compares strings by UTF-16 code unit, which puts characters above U+FFFF (stored
 * as surrogates U+D800–U+DFFF) before U+E000–U+FFFF; ranking the surrogates last at the first differing unit
 * restores code point order.
 */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}
