import { z } from "zod";
import {
  type ClassificationPartial,
  classificationPartial,
  finishClassification,
  mergeClassificationPartials,
} from "#shared/performance/classification";
import { calibrateConfidence } from "#shared/performance/confidence-based-estimation";
import { ExactSum } from "#shared/performance/exact-sum";
import { labelOf } from "#shared/performance/labels";
import { notApplicable } from "#shared/performance/metric-value";
import { loggedProbabilities } from "#shared/performance/probabilities";
import {
  finishRegression,
  mergeRegressionPartials,
  type RegressionPartial,
  regressionPartial,
} from "#shared/performance/regression";
import { GrowableFloat64 } from "#shared/readers/growable-array";
import type { CheckWindow } from "#shared/schemas/check-window";
import type { ModelConfig } from "#shared/schemas/model-config";
import { confidenceCalibrationSchema, notApplicableSchema } from "#shared/schemas/performance-metrics";
import {
  classificationPeriodSchema,
  classificationWindowSchema,
  type LabelLag,
  regressionPeriodSchema,
  regressionWindowSchema,
} from "#shared/schemas/performance-report";
import { quantileSorted } from "#shared/stats/quantile";
import type { LabelRecord } from "#shared/storage/label-batches";
import { latestLabels } from "./latest-labels.ts";
import type { PerformancePeriods } from "./performance-periods.ts";

/** What only the check's own window can add to a period: its rows, and so the coverage. */
const countedByChecks = { rows: true, checkedShare: true, coverage: true } as const;

/**
 * Everything the label batches of the two periods say, before the check's own window is summarised:
 * each period's realised metrics and label lag, the labels of every check window in the periods, and
 * (classification) the calibration that confidence-based estimation applies to the window. It is JSON,
 * so the plan step of a fanned-out check can hand it to the finish step through S3.
 */
export const labelAssessmentSchema = z.discriminatedUnion("task", [
  z.strictObject({
    task: z.literal("classification"),
    current: classificationPeriodSchema.omit(countedByChecks),
    reference: classificationPeriodSchema.omit(countedByChecks),
    windows: z.array(classificationWindowSchema),
    calibration: z.union([confidenceCalibrationSchema, notApplicableSchema]),
  }),
  z.strictObject({
    task: z.literal("regression"),
    current: regressionPeriodSchema.omit(countedByChecks),
    reference: regressionPeriodSchema.omit(countedByChecks),
    windows: z.array(regressionWindowSchema),
  }),
]);

export type LabelAssessment = z.infer<typeof labelAssessmentSchema>;

/** A check window in the periods, as the checks' history has it (the running check's own: rows null). */
export interface CheckedWindow {
  checkId: string;
  window: CheckWindow;
  rows: number | null;
  estimatedAccuracy: number | null;
}

export interface LabelAssessmentOptions {
  task: ModelConfig["task"];
  periods: PerformancePeriods;
  /** Windows not wholly inside the two periods are left out: their labels are not all read. */
  windows: readonly CheckedWindow[];
  /** Labelled reference predictions with probabilities needed to fit the calibration. */
  minSamples: number;
}

/**
 * Collects the label batches of the current and reference periods, one hour partition at a time (all
 * labels of an id lie in its prediction's partition, so each id's latest label is found within one),
 * into mergeable partial results: memory holds one partition's records, the partials' sorted scores,
 * one lag per labelled prediction and, for the calibration, the reference's records with
 * probabilities. The result does not depend on the order partitions are added in.
 */
export class LabelAssessmentBuilder {
  private readonly current: PeriodAccumulator;
  private readonly reference: PeriodAccumulator;
  private readonly windows: WindowCounter;
  private readonly calibrationRows: LabelRecord[] = [];

  constructor(private readonly options: LabelAssessmentOptions) {
    const { task, periods, windows } = options;
    this.current = new PeriodAccumulator(task, periods.current);
    this.reference = new PeriodAccumulator(task, periods.reference);
    const start = Date.parse(periods.reference.from);
    const end = Date.parse(periods.current.to);
    this.windows = new WindowCounter(
      windows.filter(({ window }) => Date.parse(window.from) >= start && Date.parse(window.to) <= end),
    );
  }

  /** Adds the label records of one hour partition (every object of it). */
  addPartition(records: readonly LabelRecord[]): void {
    for (const record of latestLabels(records)) {
      const receivedAt = Date.parse(record.receivedAt);
      const period = [this.current, this.reference].find((side) => side.holds(receivedAt));
      if (!period) continue;
      period.add(record, receivedAt);
      this.windows.add(record, receivedAt, this.options.task);
      if (
        period === this.reference &&
        this.options.task === "classification" &&
        loggedProbabilities(record) !== undefined
      ) {
        this.calibrationRows.push(record);
      }
    }
    this.current.endPartition();
    this.reference.endPartition();
  }

  finish(): LabelAssessment {
    if (this.options.task === "regression") {
      return {
        task: "regression",
        current: this.current.finishRegression(),
        reference: this.reference.finishRegression(),
        windows: this.windows.finishRegression(),
      };
    }
    const { minSamples } = this.options;
    return {
      task: "classification",
      current: this.current.finishClassification(),
      reference: this.reference.finishClassification(),
      windows: this.windows.finishClassification(),
      calibration:
        this.calibrationRows.length >= minSamples
          ? calibrateConfidence(this.calibrationRows)
          : notApplicable(
              `${this.calibrationRows.length} labelled reference predictions logged probabilities; fitting the calibration takes minSamples (${minSamples})`,
            ),
    };
  }
}

/** One period's labels: its partial results, one per partition, merged at the end. */
class PeriodAccumulator {
  private readonly from: number;
  private readonly to: number;
  private labelled = 0;
  private nonNumeric = 0;
  private readonly lagsSeconds = new GrowableFloat64();
  private rows: LabelRecord[] = [];
  private actual = new GrowableFloat64();
  private predicted = new GrowableFloat64();
  private readonly classification: ClassificationPartial[] = [];
  private readonly regression: RegressionPartial[] = [];

  constructor(
    private readonly task: ModelConfig["task"],
    private readonly period: CheckWindow,
  ) {
    this.from = Date.parse(period.from);
    this.to = Date.parse(period.to);
  }

  holds(receivedAt: number): boolean {
    return receivedAt >= this.from && receivedAt < this.to;
  }

  add(record: LabelRecord, receivedAt: number): void {
    this.labelled++;
    this.lagsSeconds.push((Date.parse(record.labeledAt) - receivedAt) / 1000);
    if (this.task === "classification") {
      this.rows.push(record);
      return;
    }
    const actual = numberOf(record.label);
    const predicted = numberOf(record.prediction);
    if (actual === undefined || predicted === undefined) {
      this.nonNumeric++;
      return;
    }
    this.actual.push(actual);
    this.predicted.push(predicted);
  }

  /** Turns the partition's rows into a partial result, so that rows never outlive their partition. */
  endPartition(): void {
    if (this.rows.length > 0) this.classification.push(classificationPartial(this.rows));
    if (this.actual.length > 0) {
      this.regression.push(regressionPartial(this.actual.finish(), this.predicted.finish()));
      this.actual = new GrowableFloat64();
      this.predicted = new GrowableFloat64();
    }
    this.rows = [];
  }

  finishClassification() {
    const partial = mergeBalanced(this.classification, mergeClassificationPartials);
    return {
      period: this.period,
      labelled: this.labelled,
      labelLag: this.labelLag(),
      metrics: finishClassification(partial ?? classificationPartial([])),
    };
  }

  finishRegression() {
    const partial = mergeBalanced(this.regression, mergeRegressionPartials);
    return {
      period: this.period,
      labelled: this.labelled,
      nonNumeric: this.nonNumeric,
      labelLag: this.labelLag(),
      metrics: finishRegression(partial ?? regressionPartial(new Float64Array(0), new Float64Array(0))),
    };
  }

  private labelLag(): LabelLag | null {
    if (this.lagsSeconds.length === 0) return null;
    const sorted = this.lagsSeconds.finish().sort();
    return { medianSeconds: quantileSorted(sorted, 0.5), p95Seconds: quantileSorted(sorted, 0.95) };
  }
}

/** The labels that fall in each check window: counts, right predictions, absolute errors. */
class WindowCounter {
  /** By window start, so the windows holding a time are found by a binary search. */
  private readonly windows: (CheckedWindow & { from: number; to: number })[];
  private readonly longest: number;
  private readonly labelled: number[];
  private readonly correct: number[];
  private readonly numeric: number[];
  private readonly absoluteErrors: ExactSum[];

  constructor(windows: readonly CheckedWindow[]) {
    this.windows = windows
      .map((checked) => ({
        ...checked,
        from: Date.parse(checked.window.from),
        to: Date.parse(checked.window.to),
      }))
      .sort((a, b) => a.from - b.from);
    this.longest = Math.max(0, ...this.windows.map(({ from, to }) => to - from));
    this.labelled = this.windows.map(() => 0);
    this.correct = this.windows.map(() => 0);
    this.numeric = this.windows.map(() => 0);
    this.absoluteErrors = this.windows.map(() => new ExactSum());
  }

  add(record: LabelRecord, receivedAt: number, task: ModelConfig["task"]): void {
    // Windows starting at or before the time, back to those that started one longest window earlier.
    for (let i = this.lastStartingBy(receivedAt); i >= 0; i--) {
      const window = this.windows[i] as (typeof this.windows)[number];
      if (window.from <= receivedAt - this.longest) break;
      if (receivedAt >= window.to) continue;
      this.labelled[i] = (this.labelled[i] as number) + 1;
      if (task === "classification") {
        if (labelOf(record.label) === labelOf(record.prediction))
          this.correct[i] = (this.correct[i] as number) + 1;
        continue;
      }
      const actual = numberOf(record.label);
      const predicted = numberOf(record.prediction);
      if (actual === undefined || predicted === undefined) continue;
      this.numeric[i] = (this.numeric[i] as number) + 1;
      (this.absoluteErrors[i] as ExactSum).add(Math.abs(predicted - actual));
    }
  }

  finishClassification() {
    return this.newestFirst((window, i) => {
      const labelled = this.labelled[i] as number;
      return {
        ...this.common(window, labelled),
        accuracy: labelled > 0 ? (this.correct[i] as number) / labelled : null,
        estimatedAccuracy: window.estimatedAccuracy,
      };
    });
  }

  finishRegression() {
    return this.newestFirst((window, i) => {
      const numeric = this.numeric[i] as number;
      return {
        ...this.common(window, this.labelled[i] as number),
        mae: numeric > 0 ? (this.absoluteErrors[i] as ExactSum).value() / numeric : null,
      };
    });
  }

  private common({ checkId, window, rows }: CheckedWindow, labelled: number) {
    return { checkId, window, rows, labelled };
  }

  private newestFirst<T>(finish: (window: CheckedWindow, index: number) => T): T[] {
    return this.windows
      .map((window, index) => ({ window, index }))
      .sort((a, b) => b.window.to - a.window.to || (a.window.checkId < b.window.checkId ? 1 : -1))
      .map(({ window, index }) => finish(window, index));
  }

  private lastStartingBy(time: number): number {
    let low = 0;
    let high = this.windows.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.windows[middle] as { from: number }).from <= time) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }
}

/** Merges partials pairwise, level by level: O(n log k) for k partials of n values in all. */
function mergeBalanced<T>(partials: readonly T[], merge: (a: T, b: T) => T): T | undefined {
  let level = [...partials];
  while (level.length > 1) {
    const next: T[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(right === undefined ? (level[i] as T) : merge(level[i] as T, right));
    }
    level = next;
  }
  return level[0];
}

/** A regression value: a number, or the text of one (ground truth may come as "3.5"). */
function numberOf(value: number | string): number | undefined {
  if (typeof value === "number") return value;
  const parsed = value.trim() === "" ? Number.NaN : Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}
