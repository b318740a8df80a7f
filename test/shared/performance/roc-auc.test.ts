import { describe, expect, it } from "vitest";
import { rocAuc } from "#shared/performance/roc-auc";
import { Random } from "../../support/random.ts";

const sorted = (values: number[]) => Float64Array.from(values).sort();

/**
 * sklearn's own route, written out independently: `roc_curve` puts a point at every distinct score, from the
 * highest down, at (false positives, true positives) so far, and `auc` integrates by the trapezoidal rule.
 */
function trapezoidArea(positives: number[], negatives: number[]): number {
  const thresholds = [...new Set([...positives, ...negatives])].sort((a, b) => b - a);
  let area = 0;
  let previousFpr = 0;
  let previousTpr = 0;
  for (const threshold of thresholds) {
    const tpr = positives.filter((s) => s >= threshold).length / positives.length;
    const fpr = negatives.filter((s) => s >= threshold).length / negatives.length;
    area += ((fpr - previousFpr) * (tpr + previousTpr)) / 2;
    previousFpr = fpr;
    previousTpr = tpr;
  }
  return area;
}

describe("rocAuc", () => {
  it("matches sklearn's roc_curve/auc docstring example", () => {
    // y = [1, 1, 2, 2], pred = [0.1, 0.4, 0.35, 0.8], roc_curve(y, pred, pos_label=2); auc(fpr, tpr) -> 0.75
    expect(rocAuc(sorted([0.35, 0.8]), sorted([0.1, 0.4]))).toBe(0.75);
  });

  it("counts a tied positive-negative pair as half", () => {
    expect(rocAuc(sorted([0.5]), sorted([0.5]))).toBe(0.5);
    // Pairs: 0.8 beats both negatives; 0.4 ties 0.4 and beats 0: (2 + 1.5) / 4.
    expect(rocAuc(sorted([0.4, 0.8]), sorted([0, 0.4]))).toBe(0.875);
  });

  it("gives 1 for a perfect ranking and 0 for an inverted one", () => {
    expect(rocAuc(sorted([0.6, 0.9]), sorted([0.1, 0.2, 0.3]))).toBe(1);
    expect(rocAuc(sorted([0.1, 0.2]), sorted([0.6, 0.9]))).toBe(0);
  });

  it("equals the trapezoidal area under sklearn's ROC curve on heavily tied scores", () => {
    const random = new Random(5);
    for (let trial = 0; trial < 30; trial++) {
      const positives = Array.from({ length: 1 + random.int(25) }, () => random.int(6) / 5);
      const negatives = Array.from({ length: 1 + random.int(25) }, () => random.int(6) / 5);
      expect(rocAuc(sorted(positives), sorted(negatives))).toBeCloseTo(
        trapezoidArea(positives, negatives),
        12,
      );
    }
  });
});
