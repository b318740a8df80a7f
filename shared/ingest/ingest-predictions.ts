import { randomUUID } from "node:crypto";
import { logger } from "#shared/observability";
import { batchIdAt, logObjectKey } from "#shared/storage/log-keys";
import { objectExists } from "#shared/storage/object-exists";
import { findPredictions, savePredictions, toPredictionItem } from "#shared/storage/prediction-index";
import { deleteLogObject, writeLogObject } from "#shared/storage/prediction-log";
import type { ValidatedPredictions } from "./validate-predictions.ts";

export interface IngestResult {
  accepted: number;
  ids: string[];
  /** How many of the ids were already stored by an earlier request, and so were not stored again. */
  duplicates: number;
}

/**
 * Stores validated records exactly once per id: ids already indexed are skipped (a retried
 * request is a no-op), the rest go to one S3 object and then to the DynamoDB index. The index
 * entry is written last, so an id is "stored" only once its log object exists; if indexing fails,
 * the object is removed again and the client is told to retry.
 */
export async function ingestPredictions(
  modelId: string,
  { records, clientIds }: ValidatedPredictions,
  receivedAt: Date,
  retentionDays: number,
): Promise<IngestResult> {
  const ids = records.map((record) => record.id);
  // An id generated for this request is new by construction: only the client's may be stored already.
  const stored = await storedWithLogObject(modelId, clientIds);
  const fresh = records.filter((record) => !stored.has(record.id));
  if (fresh.length > 0) {
    const key = logObjectKey(modelId, receivedAt, batchIdAt(receivedAt, randomUUID()));
    await writeLogObject(key, fresh);
    try {
      await savePredictions(
        fresh.map((record) => toPredictionItem(modelId, record, key, receivedAt, retentionDays)),
      );
    } catch (error) {
      await deleteLogObject(key).catch((cleanupError: unknown) =>
        logger.error("Could not remove the log object of a failed ingest; reads dedupe it by id", {
          key,
          error: cleanupError as Error,
        }),
      );
      throw error;
    }
  }
  return { accepted: records.length, ids, duplicates: records.length - fresh.length };
}

/**
 * The ids already indexed whose log object really exists. An index entry left behind by a failed
 * request whose object was removed does not count, so the client's retry stores those records.
 */
async function storedWithLogObject(modelId: string, ids: readonly string[]): Promise<Set<string>> {
  const indexed = await findPredictions(modelId, ids);
  if (indexed.size === 0) return new Set();
  const stored = new Set<string>();
  for (const key of new Set([...indexed.values()].map((item) => item.logKey))) {
    if (!(await objectExists(key))) continue;
    for (const item of indexed.values()) if (item.logKey === key) stored.add(item.id);
  }
  return stored;
}
