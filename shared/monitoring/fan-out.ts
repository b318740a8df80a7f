import { DeleteObjectsCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { confidenceCalibrationSchema } from "#shared/schemas/performance-metrics";
import { getJsonObject, putJsonObject } from "#shared/storage/json-objects";
import { getLargeObject, putLargeObject } from "#shared/storage/large-objects";
import { requireModel } from "#shared/storage/model-store";
import { mergeSummaries } from "#shared/summaries/dataset-summary";
import { packSummary, unpackSummary } from "#shared/summaries/summary-codec";
import { chunk, mapWithConcurrency } from "#shared/util/concurrency";
import { scheduledWindow } from "./check-window.ts";
import { labelAssessmentSchema } from "./performance/label-assessment.ts";
import { assessLabels, calibrationOf } from "./performance/performance-check.ts";
import {
  type CheckOutcome,
  type CheckPlan,
  finishCheck,
  GROUP_LIMITS,
  planCheck,
  summarizeGroup,
} from "./run-check.ts";

/**
 * A scheduled check as three steps that a Step Functions distributed map runs on AWS (and the local
 * scheduler in one process): plan, summarise each group of log objects in its own invocation, merge
 * and finish. Partial results travel through S3, so a window of any size fits: each summarising
 * invocation holds one group, and only the merge holds the whole window's columns.
 *
 * The plan step also reads the ground truth of the performance check's two periods (label batches,
 * not the window's logs): the summarising steps need the calibration fitted on the reference period
 * to estimate the window's accuracy, and the finish step the periods' realised metrics. Both go
 * through S3 beside the partial results.
 */

/** S3's limit of keys per DeleteObjects call. */
const DELETE_LIMIT = 1000;

/** What the plan step hands the state machine: the map reads its items from S3. */
export interface PlannedCheck {
  modelId: string;
  checkId: string;
  trigger: CheckPlan["trigger"];
  window: CheckPlan["window"];
  groupCount: number;
  /** Where the map's items (a JSON array of {@link GroupItem}) lie, for its ItemReader. */
  items: { bucket: string; key: string };
  /** Where the assessment of the periods' ground truth lies, for the finish step. */
  labelsKey: string;
}

/** One map item: a group of log objects to summarise. */
export interface GroupItem {
  checkId: string;
  group: number;
  keys: string[];
  /** Where the calibration of confidence-based estimation lies, when the reference period gave one. */
  calibrationKey?: string;
}

/** Plans the scheduled check of `modelId` for the window its schedule fired for. */
export async function planScheduledCheck(
  modelId: string,
  scheduledTime: Date,
  limits = GROUP_LIMITS,
): Promise<PlannedCheck> {
  const { config } = await requireModel(modelId);
  const plan = await planCheck(
    { modelId, window: scheduledWindow(config, scheduledTime), trigger: "scheduled" },
    limits,
  );
  const labels = await assessLabels(plan, config);
  const calibration = calibrationOf(labels);
  const prefix = checkPrefix(plan.checkId);
  const calibrationKey = calibration ? calibrationKeyOf(plan.checkId) : undefined;
  const items: GroupItem[] = plan.groups.map((keys, group) => ({
    checkId: plan.checkId,
    group,
    keys,
    ...(calibrationKey ? { calibrationKey } : {}),
  }));
  const key = `${prefix}items.json`;
  const labelsKey = `${prefix}labels.json`;
  await Promise.all([
    putJsonObject(key, items),
    putJsonObject(labelsKey, labels),
    ...(calibrationKey ? [putJsonObject(calibrationKey, calibration)] : []),
  ]);
  const { groups: _, ...rest } = plan;
  return { ...rest, groupCount: items.length, items: { bucket: bucketName(dataBucket), key }, labelsKey };
}

/** Summarises one group and stores the partial result for the merge. */
export async function summarizeGroupItem(item: GroupItem): Promise<{ group: number; rows: number }> {
  const calibration = item.calibrationKey
    ? confidenceCalibrationSchema.parse(await getJsonObject(item.calibrationKey))
    : undefined;
  const summary = await summarizeGroup(item.keys, calibration);
  await putLargeObject(partialKey(item.checkId, item.group), packSummary(summary));
  return { group: item.group, rows: summary.rows };
}

/** Merges the partial results of every group, finishes the check, and removes the check's scratch objects. */
export async function finishPlannedCheck(planned: PlannedCheck, now: Date): Promise<CheckOutcome> {
  const bucket = bucketName(dataBucket);
  const groups = Array.from({ length: planned.groupCount }, (_, group) => group);
  // Two partials at a time, each read in parallel parts.
  const partials = await mapWithConcurrency(groups, 2, async (group) =>
    unpackSummary(await getLargeObject(partialKey(planned.checkId, group))),
  );
  const merged = partials.reduce(mergeSummaries, { rows: 0, columns: new Map() });
  const labels = labelAssessmentSchema.parse(await getJsonObject(planned.labelsKey));
  const { groupCount: _, items, labelsKey, ...plan } = planned;
  const { config } = await requireModel(planned.modelId);
  const outcome = await finishCheck(plan, merged, now, labels, config);
  const scratch = [
    items.key,
    labelsKey,
    ...(calibrationOf(labels) ? [calibrationKeyOf(planned.checkId)] : []),
    ...groups.map((group) => partialKey(planned.checkId, group)),
  ];
  for (const keys of chunk(scratch, DELETE_LIMIT)) {
    await s3Client().send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }),
    );
  }
  return outcome;
}

function checkPrefix(checkId: string): string {
  return `${dataBucket.partialsPrefix}${encodeURIComponent(checkId)}/`;
}

function calibrationKeyOf(checkId: string): string {
  return `${checkPrefix(checkId)}calibration.json`;
}

function partialKey(checkId: string, group: number): string {
  return `${checkPrefix(checkId)}${group}.bin`;
}
