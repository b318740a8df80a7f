import {
  type AccuracyEstimatePartial,
  finishAccuracyEstimate,
} from "#shared/performance/confidence-based-estimation";
import { ExactSum } from "#shared/performance/exact-sum";
import { notApplicable } from "#shared/performance/metric-value";
import type { PerformanceSummary } from "#shared/schemas/check-result";
import type { CheckWindow } from "#shared/schemas/check-window";
import { type ModelConfig, performanceSettings } from "#shared/schemas/model-config";
import type { ConfidenceCalibration } from "#shared/schemas/performance-metrics";
import {
  type AccuracyEstimation,
  type PerformanceReport,
  type PerformanceStatus,
  performanceReportSchema,
} from "#shared/schemas/performance-report";
import { checkWindows } from "#shared/storage/check-history";
import { listLabelPartitions, readLabelObject } from "#shared/storage/label-batches";
import { mapWithConcurrency } from "#shared/util/concurrency";
import { comparePeriods } from "./compare-periods.ts";
import { type CheckedWindow, type LabelAssessment, LabelAssessmentBuilder } from "./label-assessment.ts";
import { performancePeriods } from "./performance-periods.ts";
import { periodCoverage } from "./period-coverage.ts";

/** Hour partitions read at once, and label objects at once within each. */
const PARALLEL_PARTITIONS = 8;
const PARALLEL_READS = 4;
/** Checks read from the history at most: 37 days of hourly checks fit twice over. */
const MAX_HISTORY = 2000;

/** The check a performance assessment belongs to. */
export interface PerformanceCheck {
  modelId: string;
  checkId: string;
  window: CheckWindow;
}

/**
 * Reads what the performance check needs of the ground truth: the label batches of the current and
 * reference periods (and nothing per row from DynamoDB), one listing for the whole range and one GET
 * per label object, plus the checks' history of the two periods (window prediction counts for the
 * coverage, past estimates to set against the realised accuracy).
 */
export async function assessLabels(check: PerformanceCheck, config: ModelConfig): Promise<LabelAssessment> {
  const periods = performancePeriods(check.window.to, performanceSettings(config));
  const windows: CheckedWindow[] = [
    { checkId: check.checkId, window: check.window, rows: null, estimatedAccuracy: null },
    ...(await historyOf(check, periods.reference.from)),
  ];
  const builder = new LabelAssessmentBuilder({
    task: config.task,
    periods,
    windows,
    minSamples: config.minSamples,
  });
  const partitions = await listLabelPartitions(
    check.modelId,
    new Date(periods.reference.from),
    new Date(periods.current.to),
  );
  await mapWithConcurrency(partitions, PARALLEL_PARTITIONS, async (keys) => {
    const objects = await mapWithConcurrency(keys, PARALLEL_READS, readLabelObject);
    builder.addPartition(objects.flat());
  });
  return builder.finish();
}

/** The calibration to summarise the check's window with, when the reference period allowed one. */
export function calibrationOf(labels: LabelAssessment): ConfidenceCalibration | undefined {
  if (labels.task !== "classification" || "notApplicable" in labels.calibration) return undefined;
  return labels.calibration;
}

/**
 * The performance report of a check from the assessment of its periods' labels, its window's row count
 * and (classification, with a calibration) its window's accuracy estimate; and the summary the check's
 * history keeps of it.
 *
 * `no-labels` while neither period has a labelled prediction, `insufficient-data` while either has
 * fewer than `minSamples` (counted over the rows the metrics use), and only then a comparison.
 */
export function finishPerformance(
  check: PerformanceCheck & { rows: number },
  config: ModelConfig,
  labels: LabelAssessment,
  estimate: AccuracyEstimatePartial | undefined,
): PerformanceReport {
  const settings = performanceSettings(config);
  const { minSamples } = config;
  const currentRows = labels.current.metrics.rows;
  const referenceRows = labels.reference.metrics.rows;
  const status: PerformanceStatus =
    labels.current.labelled + labels.reference.labelled === 0
      ? "no-labels"
      : Math.min(currentRows, referenceRows) < minSamples
        ? "insufficient-data"
        : "ok";
  const verdict =
    status === "ok"
      ? comparePeriods(
          labels.current.metrics,
          labels.reference.metrics,
          settings.metrics,
          settings.maxRelativeDrop,
        )
      : undefined;
  const common = {
    modelId: check.modelId,
    checkId: check.checkId,
    window: check.window,
    status,
    ...(status === "no-labels"
      ? { reason: "no prediction of either period has ground truth yet" }
      : status === "insufficient-data"
        ? {
            reason: `${currentRows} current and ${referenceRows} reference labelled predictions; minSamples is ${minSamples} on each side`,
          }
        : {}),
    minSamples,
    comparison: verdict?.comparison ?? {},
    dropped: verdict?.dropped ?? null,
    drop: verdict?.drop ?? null,
    droppedMetrics: verdict?.droppedMetrics ?? [],
  };
  const isOwn = (checkId: string) => checkId === check.checkId;

  if (labels.task === "regression") {
    const windows = labels.windows.map((window) =>
      isOwn(window.checkId) ? { ...window, rows: check.rows } : window,
    );
    return performanceReportSchema.parse({
      task: "regression",
      ...common,
      current: { ...labels.current, ...periodCoverage(labels.current.period, windows) },
      reference: { ...labels.reference, ...periodCoverage(labels.reference.period, windows) },
      windows,
    });
  }
  const estimated = estimation(check.window, labels, estimate, minSamples);
  const estimatedAccuracy = typeof estimated.accuracy === "number" ? estimated.accuracy : null;
  const windows = labels.windows.map((window) =>
    isOwn(window.checkId) ? { ...window, rows: check.rows, estimatedAccuracy } : window,
  );
  return performanceReportSchema.parse({
    task: "classification",
    ...common,
    current: { ...labels.current, ...periodCoverage(labels.current.period, windows) },
    reference: { ...labels.reference, ...periodCoverage(labels.reference.period, windows) },
    estimated,
    windows,
  });
}

/** What the check's history keeps of a performance report. */
export function performanceSummary(report: PerformanceReport, reportKey: string): PerformanceSummary {
  const estimatedAccuracy =
    report.task === "classification" && typeof report.estimated.accuracy === "number"
      ? report.estimated.accuracy
      : undefined;
  return {
    status: report.status,
    ...(report.reason ? { reason: report.reason } : {}),
    currentLabelled: report.current.labelled,
    referenceLabelled: report.reference.labelled,
    coverage: report.current.coverage,
    ...(report.dropped === null ? {} : { dropped: report.dropped, droppedMetrics: report.droppedMetrics }),
    ...(report.drop === null ? {} : { drop: report.drop }),
    ...(estimatedAccuracy === undefined ? {} : { estimatedAccuracy }),
    reportKey,
  };
}

/** Confidence-based estimation of the window; `minSamples` estimated rows, as for any verdict. */
function estimation(
  window: CheckWindow,
  labels: Extract<LabelAssessment, { task: "classification" }>,
  estimate: AccuracyEstimatePartial | undefined,
  minSamples: number,
): AccuracyEstimation {
  const { calibration } = labels;
  if ("notApplicable" in calibration) return { window, accuracy: calibration, calibration };
  const calibrationSummary = {
    method: calibration.method,
    classes: [...calibration.classes],
    referenceRows: calibration.referenceRows,
  };
  const finished = finishAccuracyEstimate(
    estimate ?? { rows: 0, withoutProbabilities: 0, confidence: new ExactSum() },
  );
  return {
    window,
    accuracy:
      finished.rows >= minSamples
        ? finished.estimatedAccuracy
        : notApplicable(
            `${finished.rows} predictions of the window logged probabilities; minSamples is ${minSamples}`,
          ),
    rows: finished.rows,
    withoutProbabilities: finished.withoutProbabilities,
    calibration: calibrationSummary,
  };
}

/** The checks whose windows end in the two periods, but for the running one. */
async function historyOf(check: PerformanceCheck, from: string): Promise<CheckedWindow[]> {
  const windows = await checkWindows(check.modelId, { from, to: check.window.to, max: MAX_HISTORY + 1 });
  return windows.filter(({ checkId }) => checkId !== check.checkId).slice(0, MAX_HISTORY);
}
