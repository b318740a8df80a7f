import { randomUUID } from "node:crypto";
import { evaluateAlerts } from "#shared/alerts/evaluate-alerts";
import { compareDatasets } from "#shared/drift/compare-datasets";
import type { Dataset } from "#shared/drift/dataset";
import { featureHistogram } from "#shared/drift/feature-histogram";
import { finishLatency } from "#shared/performance/latency";
import { volumeAnomaly } from "#shared/performance/volume-anomaly";
import type { Notification } from "#shared/schemas/alert";
import type { CheckResult } from "#shared/schemas/check-result";
import { checkResultSchema } from "#shared/schemas/check-result";
import type { CheckWindow } from "#shared/schemas/check-window";
import type { CheckDistributions } from "#shared/schemas/distributions";
import type { DriftReport } from "#shared/schemas/drift-report";
import type { ModelConfig } from "#shared/schemas/model-config";
import type { ConfidenceCalibration } from "#shared/schemas/performance-metrics";
import type { PerformanceReport } from "#shared/schemas/performance-report";
import { latestBaseline, loadBaseline, saveBaseline } from "#shared/storage/baseline-store";
import { saveCheck, trailingCounts } from "#shared/storage/check-history";
import { putJsonObject } from "#shared/storage/json-objects";
import { type BatchObject, listWindowObjects } from "#shared/storage/log-batches";
import { logPrefix } from "#shared/storage/log-keys";
import { requireModel } from "#shared/storage/model-store";
import { readLogObject } from "#shared/storage/prediction-log";
import { reportKey } from "#shared/storage/report-store";
import { type DatasetSummary, mergeSummaries } from "#shared/summaries/dataset-summary";
import { mapWithConcurrency } from "#shared/util/concurrency";
import { checkMetrics } from "./check-metrics.ts";
import type { LabelAssessment } from "./performance/label-assessment.ts";
import {
  assessLabels,
  calibrationOf,
  finishPerformance,
  performanceSummary,
} from "./performance/performance-check.ts";
import { publishCheckMetrics } from "./publish-check-metrics.ts";
import {
  accuracyEstimateOf,
  driftDataset,
  latencyPartialOf,
  RECORD_COLUMNS,
  RecordSummaryBuilder,
  withoutConfidence,
} from "./record-summary.ts";

/** Log objects read at once by one summarising worker. */
const PARALLEL_READS = 16;
/** How many trailing checks the request volume is compared with (a day of hourly checks). */
const TRAILING_WINDOWS = 24;
/** The most a fan-out group takes of a window: objects, and their compressed bytes. */
export interface GroupLimits {
  objects: number;
  bytes: number;
}

export const GROUP_LIMITS: GroupLimits = { objects: 500, bytes: 64 * 1024 * 1024 };

/** What to check: a model, a window, and whether the schedule or a person asked. */
export interface CheckRequest {
  modelId: string;
  window: CheckWindow;
  trigger: CheckResult["trigger"];
}

/** A check's work, split into groups of log objects that can be summarised apart and merged. */
export interface CheckPlan extends CheckRequest {
  checkId: string;
  groups: string[][];
}

/**
 * A check's result, its performance report, the full drift report when there was one, and the alert
 * notifications it published.
 */
export interface CheckOutcome {
  result: CheckResult;
  driftReport?: DriftReport;
  performanceReport: PerformanceReport;
  notifications: Notification[];
}

/**
 * Lists the window's log objects and splits them into groups no larger than `limits`, in key order
 * (so records of one partition, which concurrent duplicates share, tend to stay in one group).
 */
export async function planCheck(request: CheckRequest, limits = GROUP_LIMITS): Promise<CheckPlan> {
  const objects = await listWindowObjects(logPrefix(request.modelId), request.window);
  return { ...request, checkId: checkIdOf(request), groups: groupObjects(objects, limits) };
}

/**
 * One group's records, summarised: the partial result a fanned-out check merges. With the calibration
 * of confidence-based estimation, each record's calibrated confidence is summarised too.
 */
export async function summarizeGroup(
  keys: readonly string[],
  calibration?: ConfidenceCalibration,
): Promise<DatasetSummary> {
  const builder = new RecordSummaryBuilder(calibration);
  await mapWithConcurrency(keys, PARALLEL_READS, async (key) => {
    for (const record of await readLogObject(key)) builder.add(record);
  });
  return builder.finish();
}

/**
 * Turns the merged summary of a window and the assessment of its periods' labels into the check's
 * result: drift against the latest baseline, performance of the current period against the reference
 * period and the window's estimated accuracy, latency and traffic health, every alert metric; stores
 * the drift and performance reports, records the result in the history, publishes it as CloudWatch
 * metrics, and evaluates the model's alert rules on it.
 */
export async function finishCheck(
  plan: CheckRequest & { checkId: string },
  summary: DatasetSummary,
  now: Date,
  labels: LabelAssessment,
  config: ModelConfig,
): Promise<CheckOutcome> {
  const { drift, driftReport } = await checkDrift(plan, config, summary, now);
  const performanceReport = finishPerformance(
    { ...plan, rows: summary.rows },
    config,
    labels,
    calibrationOf(labels) ? accuracyEstimateOf(summary) : undefined,
  );
  const performanceKey = reportKey(plan.modelId, "performance", plan.window.to, reportSuffix(plan));
  await putJsonObject(performanceKey, performanceReport);
  const performance = performanceSummary(performanceReport, performanceKey);
  const latency = finishLatency(latencyPartialOf(summary));
  const traffic = volumeAnomaly(
    summary.rows,
    await trailingCounts(plan.modelId, plan.checkId, TRAILING_WINDOWS),
  );
  const p95 = typeof latency.p95 === "number" ? latency.p95 : undefined;
  const p99 = typeof latency.p99 === "number" ? latency.p99 : undefined;
  const result = checkResultSchema.parse({
    modelId: plan.modelId,
    checkId: plan.checkId,
    trigger: plan.trigger,
    window: plan.window,
    checkedAt: now.toISOString(),
    rows: summary.rows,
    drift,
    performance,
    latency,
    traffic,
    slo: {
      ...config.latency,
      met:
        p95 === undefined || p99 === undefined
          ? null
          : p95 <= config.latency.p95Ms && p99 <= config.latency.p99Ms,
    },
    metrics: checkMetrics({ rows: summary.rows, drift, driftReport, performance, latency, traffic }),
  });
  await saveCheck(result);
  publishCheckMetrics(result);
  const { notifications } = await evaluateAlerts(result, config, now);
  return { result, performanceReport, notifications, ...(driftReport ? { driftReport } : {}) };
}

/** Every group of a plan summarised in this process, two at a time, and merged. */
export async function summarizePlan(
  plan: CheckPlan,
  calibration?: ConfidenceCalibration,
): Promise<DatasetSummary> {
  const partials = await mapWithConcurrency(plan.groups, 2, (keys) => summarizeGroup(keys, calibration));
  return partials.reduce(mergeSummaries, { rows: 0, columns: new Map() });
}

/** A whole check in one process: planned, labels assessed, summarised, merged and finished. */
export async function runCheck(
  request: CheckRequest,
  now: Date,
  limits = GROUP_LIMITS,
  config?: ModelConfig,
): Promise<CheckOutcome> {
  config ??= (await requireModel(request.modelId)).config;
  const plan = await planCheck(request, limits);
  // The ground truth of the check's periods is read before the window is summarised: the summary
  // needs its calibration.
  const labels = await assessLabels(plan, config);
  return finishCheck(plan, await summarizePlan(plan, calibrationOf(labels)), now, labels, config);
}

async function checkDrift(
  plan: CheckRequest & { checkId: string },
  config: ModelConfig,
  current: DatasetSummary,
  now: Date,
): Promise<Pick<CheckOutcome, "driftReport"> & { drift: CheckResult["drift"] }> {
  const baseline = await latestBaseline(plan.modelId);
  if (!baseline) {
    if (config.baseline.fromFirstWindow && current.rows >= config.minSamples) {
      const taken = await saveBaseline(
        plan.modelId,
        withoutConfidence(current),
        { type: "first-window", ...plan.window },
        "scheduler",
        now,
      );
      return {
        drift: {
          status: "no-baseline",
          reason: `this window became baseline version ${taken.version} (baseline.fromFirstWindow); later windows are compared with it`,
          currentRows: current.rows,
        },
      };
    }
    return {
      drift: {
        status: "no-baseline",
        reason: `no baseline yet: set one with PUT /v1/models/${plan.modelId}/baseline`,
        currentRows: current.rows,
      },
    };
  }
  const reference = await loadBaseline(baseline);
  const sides = {
    baselineVersion: baseline.version,
    referenceRows: reference.rows,
    currentRows: current.rows,
  };
  if (Math.min(reference.rows, current.rows) < config.minSamples) {
    return {
      drift: {
        status: "insufficient-data",
        reason: `${current.rows} current and ${reference.rows} reference rows; minSamples is ${config.minSamples} on each side`,
        ...sides,
      },
    };
  }
  const referenceData = driftDataset(reference);
  const currentData = driftDataset(current);
  const driftReport = compareDatasets(referenceData, currentData, {
    modelId: plan.modelId,
    window: plan.window,
    referenceVersion: String(baseline.version),
    ...(config.features ? { features: config.features } : {}),
    prediction: {
      column: RECORD_COLUMNS.prediction,
      type: config.task === "classification" ? "categorical" : "numeric",
    },
  });
  const key = reportKey(plan.modelId, "drift", plan.window.to, reportSuffix(plan));
  const distributionsKey = reportKey(plan.modelId, "distributions", plan.window.to, reportSuffix(plan));
  await Promise.all([
    putJsonObject(key, driftReport),
    putJsonObject(distributionsKey, {
      modelId: plan.modelId,
      checkId: plan.checkId,
      window: plan.window,
      baselineVersion: baseline.version,
      ...histogramsOf(referenceData, currentData, Object.keys(driftReport.features)),
    } satisfies CheckDistributions),
  ]);
  const featureScores: Record<string, number> = {};
  for (const [name, feature] of Object.entries(driftReport.features)) {
    const psi = feature.tests.psi;
    if (psi && "value" in psi && psi.value !== undefined) featureScores[name] = psi.value;
  }
  return {
    driftReport,
    drift: {
      status: "ok",
      ...sides,
      drifted: driftReport.drifted,
      share: driftReport.share,
      driftedFeatures: driftReport.driftedFeatures,
      featureScores,
      reportKey: key,
      distributionsKey,
    },
  };
}

/** Each compared feature's and the prediction's reference-vs-current histogram, for the dashboard. */
function histogramsOf(reference: Dataset, current: Dataset, features: string[]) {
  const histogram = (column: string) => {
    const [before, after] = [reference.columns.get(column), current.columns.get(column)];
    return before && after && before.kind === after.kind ? featureHistogram(before, after) : undefined;
  };
  const prediction = histogram(RECORD_COLUMNS.prediction);
  return {
    features: Object.fromEntries(
      features.flatMap((name) => {
        const bins = histogram(name);
        return bins ? [[name, bins]] : [];
      }),
    ),
    ...(prediction ? { prediction } : {}),
  };
}

/** A manual check's reports are its own; a scheduled re-run of a window replaces the window's. */
function reportSuffix(plan: CheckRequest & { checkId: string }): string {
  return plan.trigger === "manual" ? `-${plan.checkId.split("#")[1]}` : "";
}

/** `<window end>#scheduled`, one per window, or `<window end>#manual-<id>`, one per request. */
function checkIdOf({ window, trigger }: CheckRequest): string {
  return `${window.to}#${trigger === "scheduled" ? "scheduled" : `manual-${randomUUID().slice(0, 8)}`}`;
}

function groupObjects(objects: readonly BatchObject[], limits: GroupLimits): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let bytes = 0;
  for (const { key, size } of objects) {
    if (group.length > 0 && (group.length >= limits.objects || bytes + size > limits.bytes)) {
      groups.push(group);
      group = [];
      bytes = 0;
    }
    group.push(key);
    bytes += size;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}
