import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { dynamoDbClient, s3Client } from "#shared/aws/clients";
import { dataBucket, predictionsTable } from "#shared/aws/resources";
import { bucketName, tableName } from "#shared/config/environment";
import type { StoredRecord } from "#shared/schemas/prediction-record";
import { logPrefix } from "#shared/storage/log-keys";
import type { PredictionItem } from "#shared/storage/prediction-index";
import { readLogObject } from "#shared/storage/prediction-log";

/** What really reached the emulators for one model: the S3 log objects and the DynamoDB items. */
export async function logObjectKeys(modelId: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3Client().send(
      new ListObjectsV2Command({
        Bucket: bucketName(dataBucket),
        Prefix: logPrefix(modelId),
        ContinuationToken: token,
      }),
    );
    keys.push(...(page.Contents ?? []).map((object) => object.Key as string));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

export async function loggedRecords(modelId: string): Promise<StoredRecord[]> {
  const records: StoredRecord[] = [];
  for (const key of await logObjectKeys(modelId)) records.push(...(await readLogObject(key)));
  return records;
}

export async function predictionItems(modelId: string): Promise<PredictionItem[]> {
  const items: PredictionItem[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await dynamoDbClient().send(
      new QueryCommand({
        TableName: tableName(predictionsTable),
        KeyConditionExpression: "modelId = :modelId",
        ExpressionAttributeValues: { ":modelId": modelId },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    items.push(...((page.Items ?? []) as PredictionItem[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

let sequence = 0;
/** A model id no other test uses, so each test sees only its own data. */
export const uniqueModelId = (name: string): string => `${name}-${process.pid}-${Date.now()}-${sequence++}`;
