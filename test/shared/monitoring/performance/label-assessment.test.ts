import { describe, expect, it } from "vitest";
import { type CheckedWindow, LabelAssessmentBuilder } from "#shared/monitoring/performance/label-assessment";
import type { LabelRecord } from "#shared/storage/label-batches";
import { hourPartition } from "#shared/storage/log-keys";
import { Random } from "../../../support/random.ts";
import { labelRecord, numpyQuantile } from "./support/label-records.ts";

const DAY = 86_400_000;
const END = Date.parse("2026-12-31T00:00:00.000Z");
const periods = {
  current: { from: new Date(END - 7 * DAY).toISOString(), to: new Date(END).toISOString() },
  reference: { from: new Date(END - 37 * DAY).toISOString(), to: new Date(END - 7 * DAY).toISOString() },
};

/** A time `days` before the end, as ISO-8601. */
const daysBefore = (days: number) => new Date(END - days * DAY).toISOString();

/** Records by hour partition of their prediction's receipt, as the label store keeps them. */
function partitionsOf(records: readonly LabelRecord[]): LabelRecord[][] {
  const byPartition = new Map<string, LabelRecord[]>();
  for (const record of records) {
    const partition = hourPartition(new Date(record.receivedAt));
    byPartition.set(partition, [...(byPartition.get(partition) ?? []), record]);
  }
  return [...byPartition.values()];
}

function assess(
  records: readonly LabelRecord[],
  { task = "classification", windows = [], minSamples = 1 } = {} as {
    task?: "classification" | "regression";
    windows?: CheckedWindow[];
    minSamples?: number;
  },
  order: (partitions: LabelRecord[][]) => LabelRecord[][] = (partitions) => partitions,
) {
  const builder = new LabelAssessmentBuilder({ task, periods, windows, minSamples });
  for (const partition of order(partitionsOf(records))) builder.addPartition(partition);
  return builder.finish();
}

/** The assessment of classified predictions, narrowed to its task. */
function assessClassified(...args: Parameters<typeof assess>) {
  const assessment = assess(...args);
  if (assessment.task !== "classification") throw new Error("expected a classification assessment");
  return assessment;
}

/** Binary predictions right with probability `skill`, at random times between `fromDays` and `toDays` before the end. */
function classified(
  random: Random,
  count: number,
  prefix: string,
  fromDays: number,
  toDays: number,
  skill: number,
) {
  return Array.from({ length: count }, (_, i) => {
    const label = random.int(2);
    const right = random.next() < skill;
    const prediction = right ? label : 1 - label;
    const p1 = prediction === 1 ? 0.5 + random.next() / 2 : random.next() / 2;
    return labelRecord(`${prefix}-${i}`, daysBefore(toDays + random.next() * (fromDays - toDays)), {
      label,
      prediction,
      probabilities: { "0": 1 - p1, "1": p1 },
      lagSeconds: Math.round(60 + random.next() * 86_400),
    });
  });
}

describe("the label assessment of a check's periods", () => {
  it("realises each period's accuracy and confusion matrix from the labels of the predictions received in it", () => {
    const random = new Random(1);
    const reference = classified(random, 300, "ref", 37, 7, 0.9);
    const current = classified(random, 200, "cur", 7, 0, 0.7);
    const outside = [
      ...classified(random, 20, "old", 40, 37.01, 0.5),
      ...classified(random, 20, "new", -0.01, -2, 0.5),
    ];
    const assessment = assessClassified([...reference, ...current, ...outside]);

    for (const [side, records] of [
      ["current", current],
      ["reference", reference],
    ] as const) {
      const right = records.filter((record) => record.label === record.prediction).length;
      const count = (actual: number, predicted: number) =>
        records.filter((record) => record.label === actual && record.prediction === predicted).length;
      expect(assessment[side].labelled).toBe(records.length);
      expect(assessment[side].metrics.rows).toBe(records.length);
      expect(assessment[side].metrics.accuracy).toBe(right / records.length);
      expect(assessment[side].metrics.confusionMatrix).toEqual({
        labels: ["0", "1"],
        counts: [
          [count(0, 0), count(0, 1)],
          [count(1, 0), count(1, 1)],
        ],
      });
    }
  });

  it("counts an id once, with its latest label", () => {
    const first = labelRecord("a", daysBefore(1), { label: 0, prediction: 1, lagSeconds: 60 });
    const corrected = { ...first, label: 1, labeledAt: daysBefore(0.5) };
    const retried = { ...corrected };
    const other = labelRecord("b", daysBefore(1), { label: 0, prediction: 0 });
    const assessment = assessClassified([corrected, first, retried, other]);
    expect(assessment.current.labelled).toBe(2);
    expect(assessment.current.metrics.accuracy).toBe(1);
  });

  it("reports the label lag's median and 95th percentile in seconds, as numpy.quantile does", () => {
    const random = new Random(2);
    const current = classified(random, 101, "cur", 7, 0, 0.8);
    const lags = current.map(
      (record) => (Date.parse(record.labeledAt) - Date.parse(record.receivedAt)) / 1000,
    );
    const { labelLag } = assess(current).current;
    expect(labelLag?.medianSeconds).toBeCloseTo(numpyQuantile(lags, 0.5), 9);
    expect(labelLag?.p95Seconds).toBeCloseTo(numpyQuantile(lags, 0.95), 9);
    expect(assess(current).reference.labelLag).toBeNull();
  });

  it("gives the same assessment whichever order the partitions are added in", () => {
    const random = new Random(3);
    const records = [
      ...classified(random, 400, "ref", 37, 7, 0.85),
      ...classified(random, 300, "cur", 7, 0, 0.75),
    ];
    const shuffled = (partitions: LabelRecord[][]) => {
      const order = new Random(4);
      return partitions
        .map((partition) => ({ partition, key: order.next() }))
        .sort((a, b) => a.key - b.key)
        .map(({ partition }) => partition);
    };
    expect(assess(records, {}, shuffled)).toEqual(assess(records));
  });

  it("counts each check window's labels and right predictions, overlapping windows alike", () => {
    const at = (days: number) => daysBefore(days);
    const windows: CheckedWindow[] = [
      { checkId: "w1", window: { from: at(2), to: at(1) }, rows: 10, estimatedAccuracy: 0.8 },
      { checkId: "w2", window: { from: at(1.5), to: at(0.5) }, rows: 12, estimatedAccuracy: null },
      { checkId: "too-old", window: { from: at(38), to: at(36) }, rows: 5, estimatedAccuracy: null },
    ];
    const records = [
      labelRecord("a", at(1.8), { label: 1, prediction: 1 }),
      labelRecord("b", at(1.2), { label: 1, prediction: 0 }),
      labelRecord("c", at(1.1), { label: 0, prediction: 0 }),
      labelRecord("d", at(0.7), { label: 0, prediction: 0 }),
      labelRecord("e", at(0.2), { label: 0, prediction: 1 }),
    ];
    const assessment = assess(records, { windows });
    expect(assessment.windows).toEqual([
      {
        checkId: "w2",
        window: windows[1]?.window,
        rows: 12,
        labelled: 3,
        accuracy: 2 / 3,
        estimatedAccuracy: null,
      },
      {
        checkId: "w1",
        window: windows[0]?.window,
        rows: 10,
        labelled: 3,
        accuracy: 2 / 3,
        estimatedAccuracy: 0.8,
      },
    ]);
  });

  it("fits the calibration only with minSamples labelled reference predictions that logged probabilities", () => {
    const random = new Random(5);
    const reference = classified(random, 50, "ref", 37, 7, 0.9);
    const withoutProbabilities = reference.map(({ probabilities: _, ...record }) => record);
    expect(assess(reference, { minSamples: 50 })).toMatchObject({
      calibration: { method: "binary", classes: ["0", "1"], positiveLabel: "1", referenceRows: 50 },
    });
    expect(assessClassified(reference, { minSamples: 51 }).calibration).toEqual({
      notApplicable: expect.stringMatching(/^50 labelled reference predictions .* minSamples \(51\)$/),
    });
    expect(assessClassified(withoutProbabilities, { minSamples: 1 }).calibration).toHaveProperty(
      "notApplicable",
    );
  });

  it("computes MAE, RMSE, MAPE and R² of each period as sklearn defines them, leaving out non-numeric values", () => {
    const random = new Random(6);
    const records = Array.from({ length: 80 }, (_, i) => {
      const actual = 50 + 20 * random.normal();
      return labelRecord(`r-${i}`, daysBefore(random.next() * 7), {
        label: i % 10 === 0 ? String(actual) : actual,
        prediction: actual + 3 * random.normal(),
      });
    });
    const junk = labelRecord("junk", daysBefore(1), { label: "n/a", prediction: 3 });
    const window = {
      checkId: "w",
      window: { from: daysBefore(7), to: daysBefore(0) },
      rows: 81,
      estimatedAccuracy: null,
    };
    const assessment = assess([...records, junk], { task: "regression", windows: [window] });
    const y = records.map((record) => Number(record.label));
    const yHat = records.map((record) => record.prediction as number);
    const n = y.length;
    const mean = y.reduce((sum, v) => sum + v, 0) / n;
    const absolute = y.map((v, i) => Math.abs(v - (yHat[i] as number)));
    const squared = y.reduce((sum, v, i) => sum + (v - (yHat[i] as number)) ** 2, 0);
    if (assessment.task !== "regression") throw new Error("expected a regression assessment");
    expect(assessment.current.labelled).toBe(81);
    expect(assessment.current.nonNumeric).toBe(1);
    expect(assessment.current.metrics.rows).toBe(80);
    expect(assessment.current.metrics.mae).toBeCloseTo(absolute.reduce((sum, v) => sum + v, 0) / n, 12);
    expect(assessment.current.metrics.rmse).toBeCloseTo(Math.sqrt(squared / n), 12);
    expect(assessment.current.metrics.mape).toBeCloseTo(
      y.reduce((sum, v, i) => sum + (absolute[i] as number) / Math.abs(v), 0) / n,
      12,
    );
    expect(assessment.current.metrics.r2).toBeCloseTo(
      1 - squared / y.reduce((sum, v) => sum + (v - mean) ** 2, 0),
      12,
    );
    expect(assessment.windows[0]).toMatchObject({ checkId: "w", labelled: 81 });
    expect(assessment.windows[0]?.mae).toBeCloseTo(absolute.reduce((sum, v) => sum + v, 0) / n, 12);
  });
});
