import { beforeEach, describe, expect, it } from "vitest";
import { dynamoDbOperation, s3PutObject } from "../support/aws-proxy.ts";
import { useProxiedLocalApi } from "../support/proxied-local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { logObjectKeys, predictionItems, uniqueModelId } from "../support/stored-data.ts";

const proxied = useProxiedLocalApi();

let modelId: string;
beforeEach(async () => {
  proxied.dynamoDb.failWhen(undefined);
  proxied.s3.failWhen(undefined);
  modelId = uniqueModelId("faults");
  await proxied.send("PUT", `/v1/models/${modelId}`, { task: "regression" });
});

const records = Array.from({ length: 60 }, (_, index) => sampleRecord(index));
const ingest = () => proxied.send("POST", `/v1/models/${modelId}/predictions`, { records });

describe("storage faults", () => {
  it("answers 503 with Retry-After and removes the log object when DynamoDB keeps failing the index write", async () => {
    proxied.dynamoDb.failWhen(dynamoDbOperation("BatchWriteItem"));
    const answer = await ingest();
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(answer.body).toMatchObject({ status: 503, title: "Service unavailable" });
    proxied.dynamoDb.failWhen(undefined);
    expect(await logObjectKeys(modelId)).toEqual([]);
  });

  it("stores everything exactly once when the client retries after a 503", async () => {
    proxied.dynamoDb.failWhen(dynamoDbOperation("BatchWriteItem"));
    expect((await ingest()).status).toBe(503);
    proxied.dynamoDb.failWhen(undefined);
    const retry = await ingest();
    expect(retry.status).toBe(202);
    expect(await predictionItems(modelId)).toHaveLength(60);
    expect(await logObjectKeys(modelId)).toHaveLength(1);
  });

  it("answers 503 and indexes nothing when S3 rejects the log object", async () => {
    proxied.s3.failWhen(s3PutObject);
    const answer = await ingest();
    expect(answer.status).toBe(503);
    proxied.s3.failWhen(undefined);
    expect(await predictionItems(modelId)).toEqual([]);
  });

  it("answers 503 when DynamoDB cannot even be read", async () => {
    proxied.dynamoDb.failWhen(() => true);
    const answer = await ingest();
    expect(answer.status).toBe(503);
    proxied.dynamoDb.failWhen(undefined);
    expect(await logObjectKeys(modelId)).toEqual([]);
  });
});
