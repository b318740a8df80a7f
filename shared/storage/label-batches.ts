import { randomUUID } from "node:crypto";

import { z } from "zod";
import { dataBucket } from "#shared/aws/resources";
import { mapWithConcurrency } from "#shared/util/concurrency";
import { readGzipNdjson, writeGzipNdjson } from "./gzip-ndjson.ts";
import { listHourPartitions } from "./hour-partitions.ts";
import { batchIdAt, hourPartition } from "./log-keys.ts";

/** Label objects written at once by one ground-truth request. */
const PARALLEL_WRITES = 8;

/**
 * One labelled prediction, a line of a label batch: the ground truth with what the performance check
 * needs of its prediction, so a check reads label batches and nothing else (no DynamoDB item per row).
 */
export const labelRecordSchema = z.object({
  id: z.string(),
  label: z.union([z.number(), z.string()]),
  prediction: z.union([z.number(), z.string()]),
  probabilities: z.record(z.string(), z.number()).optional(),
  /** When the prediction was received (ISO-8601, UTC): the batch is partitioned by its hour. */
  receivedAt: z.string(),
  /** When the label was received; of two labels of one id, the later one holds. */
  labeledAt: z.string(),
});

export type LabelRecord = z.infer<typeof labelRecordSchema>;

export const labelPrefix = (modelId: string): string => `${dataBucket.labelsPrefix}model=${modelId}/`;

/**
 * `labels/model=<id>/dt=YYYY-MM-DD/hour=HH/<batchId>.ndjson.gz`, in the hour partition of the
 * predictions' receipt (not the labels'), so the labels of a period of predictions lie in that
 * period's partitions however late they came; the batch id carries the write time.
 */
export function labelObjectKey(modelId: string, predictionsReceivedAt: Date, batchId: string): string {
  return `${labelPrefix(modelId)}${hourPartition(predictionsReceivedAt)}${batchId}.ndjson.gz`;
}

/**
 * Stores one request's labelled predictions as gzip NDJSON, one object per hour partition of their
 * predictions' receipt (a request labelling predictions of three hours writes three objects).
 *
 * @returns the keys written
 */
export async function writeLabelBatches(
  modelId: string,
  records: readonly LabelRecord[],
  labeledAt: Date,
): Promise<string[]> {
  const byPartition = new Map<string, LabelRecord[]>();
  for (const record of records) {
    const partition = hourPartition(new Date(record.receivedAt));
    const batch = byPartition.get(partition) ?? [];
    batch.push(record);
    byPartition.set(partition, batch);
  }
  return mapWithConcurrency([...byPartition.values()], PARALLEL_WRITES, async (batch) => {
    const key = labelObjectKey(
      modelId,
      new Date((batch[0] as LabelRecord).receivedAt),
      batchIdAt(labeledAt, randomUUID()),
    );
    await writeGzipNdjson(key, batch);
    return key;
  });
}

/** The label objects of the hour partitions that hold receipt times in [from, to), by partition, oldest first. */
export async function listLabelPartitions(modelId: string, from: Date, to: Date): Promise<string[][]> {
  const byPartition = new Map<string, string[]>();
  for (const { object, partition } of await listHourPartitions(labelPrefix(modelId), from, to)) {
    const keys = byPartition.get(partition) ?? [];
    keys.push(object.Key as string);
    byPartition.set(partition, keys);
  }
  return [...byPartition.values()];
}

/** The labelled predictions of one label object, in the order they were written. */
export async function readLabelObject(key: string): Promise<LabelRecord[]> {
  // Written by writeLabelBatches only, each line from a validated label and a stored prediction.
  return [...(await readGzipNdjson<LabelRecord>(key))];
}
