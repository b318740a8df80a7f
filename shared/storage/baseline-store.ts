import { randomUUID } from "node:crypto";
import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { PutCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient, s3Client } from "#shared/aws/clients";
import { baselinesTable, dataBucket } from "#shared/aws/resources";
import { bucketName, tableName } from "#shared/config/environment";
import type { BaselineSource, BaselineVersion } from "#shared/schemas/baseline";
import type { DatasetSummary } from "#shared/summaries/dataset-summary";
import { decodeSummary, encodeSummary, summaryHeaderSchema } from "#shared/summaries/summary-codec";
import { getLargeObject, putLargeObject } from "./large-objects.ts";

/**
 * Stores a new baseline version: the summary's numbers (sorted per column) as one binary object and its
 * header as JSON, under a fresh prefix, then the version item, written only if that version number is
 * still free. Two concurrent baselines both succeed, as consecutive versions; nothing is overwritten. An
 * upload and the first window become a version once however many registrations race (see onceKeyOf):
 * the losers answer with the winner's version.
 */
export async function saveBaseline(
  modelId: string,
  summary: DatasetSummary,
  source: BaselineSource,
  createdBy: string,
  createdAt: Date,
): Promise<BaselineVersion> {
  const prefix = `${dataBucket.baselinesPrefix}model=${modelId}/${randomUUID()}/`;
  const { header, payload } = encodeSummary(summary, { sortNumbers: true });
  const bucket = bucketName(dataBucket);
  await putLargeObject(`${prefix}numbers.f64`, payload);
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}header.json`,
      Body: JSON.stringify(header),
      ContentType: "application/json",
    }),
  );
  for (;;) {
    const version = ((await latestBaseline(modelId))?.version ?? 0) + 1;
    const item: BaselineVersion & { modelId: string } = {
      modelId,
      version,
      rows: summary.rows,
      columns: summary.columns.size,
      source,
      createdBy,
      createdAt: createdAt.toISOString(),
      prefix,
      bytes: payload.length,
    };
    const { modelId: _, ...stored } = item;
    const once = onceKeyOf(modelId, source);
    try {
      if (once === undefined) {
        await dynamoDbClient().send(
          new PutCommand({
            TableName: tableName(baselinesTable),
            Item: item,
            ConditionExpression: "attribute_not_exists(version)",
          }),
        );
        return stored;
      }
      await dynamoDbClient().send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName(baselinesTable),
                Item: { modelId: once, version: 0, registers: version },
                ConditionExpression: "attribute_not_exists(modelId)",
              },
            },
            {
              Put: {
                TableName: tableName(baselinesTable),
                Item: item,
                ConditionExpression: "attribute_not_exists(version)",
              },
            },
          ],
        }),
      );
      return stored;
    } catch (error) {
      if (
        error instanceof TransactionCanceledException &&
        error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed"
      ) {
        // Another registration of the same source won: answer with the version it made.
        const registered = (await listBaselines(modelId)).find((candidate) =>
          sameSource(candidate.source, source),
        );
        if (registered) return registered;
      }
      const versionTaken =
        error instanceof ConditionalCheckFailedException ||
        (error instanceof TransactionCanceledException &&
          error.CancellationReasons?.[1]?.Code === "ConditionalCheckFailed");
      if (!versionTaken) throw error;
    }
  }
}

/**
 * The key of an item that lets a source become a baseline only once: an upload (a worker and a retried
 * request may register it at the same moment) and the first window (two checks may both find no
 * baseline). It lives under its own partition key, `<modelId>#<source>`, which no model id can be.
 */
function onceKeyOf(modelId: string, source: BaselineSource): string | undefined {
  if (source.type === "upload") return `${modelId}#upload#${source.uploadId}`;
  if (source.type === "first-window") return `${modelId}#first-window`;
  return undefined;
}

function sameSource(a: BaselineSource, b: BaselineSource): boolean {
  if (a.type === "upload" && b.type === "upload") return a.uploadId === b.uploadId;
  return a.type === "first-window" && b.type === "first-window";
}

/** The newest baseline version of a model, if it has one. */
export async function latestBaseline(modelId: string): Promise<BaselineVersion | undefined> {
  return (await listBaselines(modelId, 1))[0];
}

/** A model's baseline versions, newest first: the audit trail of who changed it, when and how. */
export async function listBaselines(modelId: string, limit = 100): Promise<BaselineVersion[]> {
  const { Items } = await dynamoDbClient().send(
    new QueryCommand({
      TableName: tableName(baselinesTable),
      KeyConditionExpression: "modelId = :modelId",
      ExpressionAttributeValues: { ":modelId": modelId },
      ScanIndexForward: false,
      ConsistentRead: true,
      Limit: limit,
    }),
  );
  return (Items ?? []).map(({ modelId: _, ...version }) => version as BaselineVersion);
}

/** The summary a baseline version holds, its numbers read in parallel byte ranges. */
export async function loadBaseline(version: BaselineVersion): Promise<DatasetSummary> {
  const bucket = bucketName(dataBucket);
  const headerObject = await s3Client().send(
    new GetObjectCommand({ Bucket: bucket, Key: `${version.prefix}header.json` }),
  );
  const header = summaryHeaderSchema.parse(
    JSON.parse(await (headerObject.Body as BodyWithText).transformToString()),
  );
  const payload = await getLargeObject(`${version.prefix}numbers.f64`, version.bytes);
  return decodeSummary(header, payload);
}

interface BodyWithText {
  transformToString(): Promise<string>;
  transformToByteArray(): Promise<Uint8Array>;
}
