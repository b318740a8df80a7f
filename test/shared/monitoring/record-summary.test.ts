import { describe, expect, it } from "vitest";
import {
  accuracyEstimateOf,
  RECORD_COLUMNS,
  RecordSummaryBuilder,
  withoutConfidence,
} from "#shared/monitoring/record-summary";
import { finishAccuracyEstimate } from "#shared/performance/confidence-based-estimation";
import type { ConfidenceCalibration } from "#shared/schemas/performance-metrics";
import type { PredictionRecord } from "#shared/schemas/prediction-record";
import { mergeSummaries } from "#shared/summaries/dataset-summary";
import { Random } from "../../support/random.ts";

/** Calibrated probability = logged probability: the positive class's probability is taken as it is. */
const asLogged: ConfidenceCalibration = {
  method: "binary",
  classes: ["no", "yes"],
  positiveLabel: "yes",
  curve: { x: [0, 1], y: [0, 1] },
  referenceRows: 100,
};

function records(random: Random, count: number): PredictionRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const yes = random.next();
    return {
      id: `r-${i}`,
      features: { x: random.normal() },
      prediction: yes >= 0.5 ? "yes" : "no",
      ...(i % 7 === 0 ? {} : { probabilities: { no: 1 - yes, yes } }),
    };
  });
}

describe("the record summary's accuracy estimate", () => {
  it("is each prediction's confidence averaged over the records that logged probabilities", () => {
    const batch = records(new Random(1), 300);
    const builder = new RecordSummaryBuilder(asLogged);
    for (const record of batch) builder.add(record);
    const scored = batch.filter((record) => record.probabilities);
    // With an identity calibration, NannyML's binary confidence is p(yes) for a "yes", 1 − p(yes) for a "no".
    const confidences = scored.map(({ prediction, probabilities }) =>
      prediction === "yes" ? (probabilities?.yes as number) : 1 - (probabilities?.yes as number),
    );
    const estimate = finishAccuracyEstimate(accuracyEstimateOf(builder.finish()));
    expect(estimate.rows).toBe(scored.length);
    expect(estimate.withoutProbabilities).toBe(300 - scored.length);
    expect(estimate.estimatedAccuracy).toBeCloseTo(
      confidences.reduce((sum, value) => sum + value, 0) / confidences.length,
      12,
    );
  });

  it("is the same number when the records are summarised in groups and merged", () => {
    const batch = records(new Random(2), 500);
    const summaryOf = (part: readonly PredictionRecord[]) => {
      const builder = new RecordSummaryBuilder(asLogged);
      for (const record of part) builder.add(record);
      return builder.finish();
    };
    const groups = [batch.slice(0, 17), batch.slice(17, 260), batch.slice(260)].map(summaryOf);
    const merged = groups.reduce(mergeSummaries);
    expect(finishAccuracyEstimate(accuracyEstimateOf(merged))).toEqual(
      finishAccuracyEstimate(accuracyEstimateOf(summaryOf(batch))),
    );
  });

  it("keeps no confidences without a calibration, and none in what a baseline keeps", () => {
    const batch = records(new Random(3), 50);
    const plain = new RecordSummaryBuilder();
    const calibrated = new RecordSummaryBuilder(asLogged);
    for (const record of batch) {
      plain.add(record);
      calibrated.add(record);
    }
    expect(plain.finish().columns.has(RECORD_COLUMNS.confidence)).toBe(false);
    const summary = calibrated.finish();
    expect(summary.columns.has(RECORD_COLUMNS.confidence)).toBe(true);
    expect(withoutConfidence(summary)).toEqual(plain.finish());
  });
});
