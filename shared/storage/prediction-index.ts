import { BatchGetCommand, BatchWriteCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient } from "#shared/aws/clients";
import { predictionsTable } from "#shared/aws/resources";
import { sendUntilProcessed } from "#shared/aws/unprocessed-retry";
import { tableName } from "#shared/config/environment";
import type { StoredRecord } from "#shared/schemas/prediction-record";
import { chunk, mapWithConcurrency } from "#shared/util/concurrency";

/** DynamoDB's per-call limits. */
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const PARALLEL_CALLS = 8;

/** The DynamoDB item of one accepted record: what the idempotency check and the ground-truth join need. */
export interface PredictionItem {
  modelId: string;
  id: string;
  timestamp: string;
  prediction: number | string;
  probabilities?: Record<string, number>;
  latencyMs?: number;
  error?: boolean;
  version?: string;
  segment?: string;
  /** S3 key of the log object holding the full record. */
  logKey: string;
  receivedAt: string;
  /** Epoch seconds at which DynamoDB's TTL removes the item, matching the raw-log retention. */
  expiresAt: number;
  label?: number | string;
  labeledAt?: string;
}

export function toPredictionItem(
  modelId: string,
  record: StoredRecord,
  logKey: string,
  receivedAt: Date,
  retentionDays: number,
): PredictionItem {
  const { features: _features, ...summary } = record;
  return {
    ...summary,
    modelId,
    logKey,
    receivedAt: receivedAt.toISOString(),
    expiresAt: Math.floor(receivedAt.getTime() / 1000) + retentionDays * 86_400,
  };
}

type Keys = Record<string, unknown>[];

/** The stored items among `ids` of one model, by id (strongly consistent reads). */
export async function findPredictions(
  modelId: string,
  ids: readonly string[],
): Promise<Map<string, PredictionItem>> {
  const table = tableName(predictionsTable);
  const found = new Map<string, PredictionItem>();
  await mapWithConcurrency(chunk(ids, BATCH_GET_LIMIT), PARALLEL_CALLS, (idChunk) =>
    sendUntilProcessed<Keys>(
      idChunk.map((id) => ({ modelId, id })),
      async (keys) => {
        const result = await dynamoDbClient().send(
          new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of result.Responses?.[table] ?? [])
          found.set(item.id as string, item as PredictionItem);
        return result.UnprocessedKeys?.[table]?.Keys as Keys | undefined;
      },
      (keys) => keys.length,
    ),
  );
  return found;
}

type WriteRequests = { PutRequest: { Item: PredictionItem } }[];

/** Writes the items in ceil(n/25) BatchWriteItem calls, resending whatever DynamoDB left unprocessed. */
export async function savePredictions(items: readonly PredictionItem[]): Promise<void> {
  const table = tableName(predictionsTable);
  await mapWithConcurrency(chunk(items, BATCH_WRITE_LIMIT), PARALLEL_CALLS, (itemChunk) =>
    sendUntilProcessed<WriteRequests>(
      itemChunk.map((item) => ({ PutRequest: { Item: item } })),
      async (requests) => {
        const result = await dynamoDbClient().send(
          new BatchWriteCommand({ RequestItems: { [table]: requests } }),
        );
        return result.UnprocessedItems?.[table] as WriteRequests | undefined;
      },
      (requests) => requests.length,
    ),
  );
}
