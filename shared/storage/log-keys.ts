import { dataBucket } from "#shared/aws/resources";

const HOUR = 3_600_000;
const STAMP = /\/(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-[^/]*$/;

/**
 * `logs/model=<id>/dt=YYYY-MM-DD/hour=HH/<batchId>.ndjson.gz` (CONTRACT §3): Hive-style partitions
 * in UTC, so Athena can prune by model, day and hour.
 */
export function logObjectKey(modelId: string, receivedAt: Date, batchId: string): string {
  return `${logPrefix(modelId)}${hourPartition(receivedAt)}${batchId}.ndjson.gz`;
}

export const logPrefix = (modelId: string): string => `${dataBucket.logsPrefix}model=${modelId}/`;

/**
 * A batch id that starts with its receipt time to the millisecond (`20261201T133005123Z-<uuid>`), so a
 * check selects the batches of its window from their keys alone, without opening them.
 */
export function batchIdAt(receivedAt: Date, unique: string): string {
  return `${receivedAt.toISOString().replace(/[-:.]/g, "")}-${unique}`;
}

/** The receipt time a log key's batch id starts with (see {@link batchIdAt}), if it has one. */
export function receivedAtOfLogKey(key: string): Date | undefined {
  const match = STAMP.exec(key);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, ms] = match;
  return new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${ms}Z`);
}

/** `dt=YYYY-MM-DD/hour=HH/` of the UTC hour holding `time`. */
export function hourPartition(time: Date): string {
  const iso = time.toISOString();
  return `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;
}

/** The hour partitions that hold the receipt times in [from, to), oldest first. */
export function hourPartitionsBetween(from: Date, to: Date): string[] {
  const partitions: string[] = [];
  for (let hour = Math.floor(from.getTime() / HOUR) * HOUR; hour < to.getTime(); hour += HOUR) {
    partitions.push(hourPartition(new Date(hour)));
  }
  return partitions;
}
