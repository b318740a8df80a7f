import { dataBucket } from "#shared/aws/resources";

/**
 * `logs/model=<id>/dt=YYYY-MM-DD/hour=HH/<batchId>.ndjson.gz` (CONTRACT §3): Hive-style partitions
 * in UTC, so Athena can prune by model, day and hour.
 */
export function logObjectKey(modelId: string, receivedAt: Date, batchId: string): string {
  const iso = receivedAt.toISOString();
  return `${logPrefix(modelId)}dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/${batchId}.ndjson.gz`;
}

export const logPrefix = (modelId: string): string => `${dataBucket.logsPrefix}model=${modelId}/`;
