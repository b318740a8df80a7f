import { describe, expect, it } from "vitest";
import type { ClassificationRow } from "#shared/performance/classification";
import { classificationPartial, finishClassification } from "#shared/performance/classification";
import {
  accuracyEstimatePartial,
  calibrateConfidence,
  finishAccuracyEstimate,
  type UnlabelledRow,
} from "#shared/performance/confidence-based-estimation";
import {
  accuracyEstimateSchema,
  type ConfidenceCalibration,
  confidenceCalibrationSchema,
} from "#shared/schemas/performance-metrics";
import { Random } from "../../support/random.ts";

function calibrated(reference: ClassificationRow[]): ConfidenceCalibration {
  const calibration = calibrateConfidence(reference);
  if ("notApplicable" in calibration) throw new Error(calibration.notApplicable);
  return calibration;
}

const estimateOf = (calibration: ConfidenceCalibration, rows: UnlabelledRow[]) =>
  finishAccuracyEstimate(accuracyEstimatePartial(calibration, rows));

const binary = (
  label: number,
  positive: number,
  prediction = positive >= 0.5 ? 1 : 0,
): ClassificationRow => ({
  label,
  prediction,
  probabilities: { "0": 1 - positive, "1": positive },
});

describe("calibrateConfidence", () => {
  it("fits one isotonic curve to the positive class's probability for two classes", () => {
    // Sorted by p(1): outcomes 0, 1, 0, 1 -> pooled 0, 0.5, 0.5, 1.
    const calibration = calibrated([binary(1, 0.4), binary(0, 0.2), binary(1, 0.8), binary(0, 0.6)]);
    expect(calibration).toEqual({
      method: "binary",
      classes: ["0", "1"],
      positiveLabel: "1",
      curve: { x: [0.2, 0.4, 0.6, 0.8], y: [0, 0.5, 0.5, 1] },
      referenceRows: 4,
    });
    expect(confidenceCalibrationSchema.parse(JSON.parse(JSON.stringify(calibration)))).toEqual(calibration);
  });

  it("fits one curve per class for more than two classes", () => {
    const calibration = calibrated(threeClassReference);
    expect(calibration).toEqual({
      method: "one-vs-rest",
      classes: ["a", "b", "c"],
      curves: [
        { x: [0.2, 0.4, 0.6, 0.8], y: [0, 0, 1, 1] },
        { x: [0.1, 0.3, 0.5], y: [0, 0, 1] },
        { x: [0.1, 0.6], y: [0, 1] },
      ],
      referenceRows: 4,
    });
    expect(confidenceCalibrationSchema.safeParse(calibration).success).toBe(true);
  });

  it("leaves a class with one outcome in the reference uncalibrated, as NannyML does", () => {
    const calibration = calibrated([binary(1, 0.6), binary(1, 0.9)]);
    expect(calibration).toMatchObject({ method: "binary", curve: { x: [0, 1], y: [0, 1] } });
    expect(estimateOf(calibration, [{ prediction: 1, probabilities: { "1": 0.7 } }]).estimatedAccuracy).toBe(
      0.7,
    );
  });

  it("fits on the rows that logged probabilities only, and needs two classes among them", () => {
    expect(calibrateConfidence([{ label: 1, prediction: 1 }])).toEqual({
      notApplicable: "no reference row has both probabilities and a label",
    });
    expect(calibrateConfidence([{ label: "a", prediction: "a", probabilities: { a: 0.9 } }])).toEqual({
      notApplicable: 'confidence-based estimation needs two classes; the reference has only "a"',
    });
    const calibration = calibrated([binary(0, 0.2), binary(1, 0.8), { label: 0, prediction: 1 }]);
    expect(calibration.referenceRows).toBe(2);
  });
});

/**
 * Class a: p = 0.2, 0.4, 0.6, 0.8 with outcomes 0, 0, 1, 1 (already monotone); class b: p = 0.1, 0.2, 0.3, 0.5
 * with outcomes 0, 0, 0, 1 (0.2 drops out, on a flat stretch); class c: p = 0.1 three times (outcome 0) and
 * 0.6 (outcome 1).
 */
const threeClassReference: ClassificationRow[] = [
  { label: "a", prediction: "a", probabilities: { a: 0.8, b: 0.1, c: 0.1 } },
  { label: "a", prediction: "a", probabilities: { a: 0.6, b: 0.3, c: 0.1 } },
  { label: "b", prediction: "b", probabilities: { a: 0.4, b: 0.5, c: 0.1 } },
  { label: "c", prediction: "c", probabilities: { a: 0.2, b: 0.2, c: 0.6 } },
];

describe("finishAccuracyEstimate", () => {
  it("estimates binary accuracy as the mean calibrated probability that each prediction is right", () => {
    const calibration = calibrated([binary(1, 0.4), binary(0, 0.2), binary(1, 0.8), binary(0, 0.6)]);
    // Calibrated p(1): 0.5 -> 0.5, 0.9 -> 1 (clipped to 0.8), 0.3 -> 0.25, 0.7 -> 0.75.
    // Right with: 0.5 (predicted 1), 1 − 1 (predicted 0), 1 − 0.25 (predicted 0), 0.75 (predicted 1).
    const rows = [binary(0, 0.5, 1), binary(0, 0.9, 0), binary(0, 0.3, 0), binary(0, 0.7, 1)];
    const estimate = estimateOf(calibration, rows);
    expect(estimate.rows).toBe(4);
    expect(estimate.estimatedAccuracy).toBeCloseTo((0.5 + 0 + 0.75 + 0.75) / 4, 15);
    expect(accuracyEstimateSchema.parse(estimate)).toEqual(estimate);
  });

  it("renormalises the calibrated class probabilities before reading the predicted class's", () => {
    const calibration = calibrated(threeClassReference);
    const rows: UnlabelledRow[] = [
      // Calibrated a 0.5, b 0.5, c 0: predicted a is right with 0.5 / 1.
      { prediction: "a", probabilities: { a: 0.5, b: 0.4, c: 0.1 } },
      // Calibrated a 1, b 0, c 0.5: predicted c is right with 0.5 / 1.5.
      { prediction: "c", probabilities: { a: 0.7, b: 0.2, c: 0.35 } },
      // Every calibrated probability 0: each class 1/3, as NannyML's uniform fallback.
      { prediction: "b", probabilities: { a: 0.1, b: 0.05, c: 0.05 } },
      // A label the reference never had: counted wrong.
      { prediction: "z", probabilities: { a: 0.5, b: 0.4, c: 0.1 } },
      // No probabilities: not estimated.
      { prediction: "a" },
    ];
    const estimate = estimateOf(calibration, rows);
    expect(estimate.rows).toBe(4);
    expect(estimate.withoutProbabilities).toBe(1);
    expect(estimate.estimatedAccuracy).toBeCloseTo((0.5 + 1 / 3 + 1 / 3 + 0) / 4, 14);
  });

  it("says there is nothing to estimate when no row logged probabilities", () => {
    const calibration = calibrated(threeClassReference);
    expect(estimateOf(calibration, [{ prediction: "a" }])).toEqual({
      estimatedAccuracy: { notApplicable: "no prediction in the window logged probabilities" },
      rows: 0,
      withoutProbabilities: 1,
    });
  });

  it("estimates the accuracy that the labels later show for an overconfident model under covariate shift", () => {
    // The model says p, but the positive class occurs with probability p²; the analysis period sees higher
    // scores than the reference. Calibration on the reference corrects the overconfidence.
    const random = new Random(2024);
    const draw = (shift: number): ClassificationRow => {
      const p = random.next() ** shift;
      return binary(random.next() < p * p ? 1 : 0, p);
    };
    const reference = Array.from({ length: 20000 }, () => draw(1));
    const analysis = Array.from({ length: 20000 }, () => draw(0.5));
    const estimate = estimateOf(calibrated(reference), analysis);
    const realised = finishClassification(classificationPartial(analysis)).accuracy as number;
    const uncalibrated =
      analysis.reduce((sum, row) => {
        const p = row.probabilities?.["1"] as number;
        return sum + (row.prediction === 1 ? p : 1 - p);
      }, 0) / analysis.length;
    expect(Math.abs((estimate.estimatedAccuracy as number) - realised)).toBeLessThan(0.015);
    expect(Math.abs(uncalibrated - realised)).toBeGreaterThan(0.05);
  });
});
