import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { startLocalApi } from "#shared/local/api-gateway";
import { type AwsProxy, dynamoDbOperation, s3PutObject, startAwsProxy } from "../support/aws-proxy.ts";
import { ADMIN_TOKEN } from "../support/local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { logObjectKeys, predictionItems, uniqueModelId } from "../support/stored-data.ts";

let dynamoDbProxy: AwsProxy;
let s3Proxy: AwsProxy;
let apiUrl: string;
let closeApi: () => Promise<void>;

beforeAll(async () => {
  const environment = inject("awsEnvironment");
  dynamoDbProxy = await startAwsProxy(environment.AWS_ENDPOINT_URL_DYNAMODB as string);
  s3Proxy = await startAwsProxy(environment.AWS_ENDPOINT_URL as string);
  Object.assign(process.env, environment, {
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbProxy.url,
    AWS_ENDPOINT_URL: s3Proxy.url,
    DRIFTWATCH_AWS_MAX_ATTEMPTS: "2",
  });
  const api = await startLocalApi(0);
  apiUrl = api.url;
  closeApi = api.close;
});

afterAll(async () => {
  await closeApi?.();
  await dynamoDbProxy?.close();
  await s3Proxy?.close();
});

let modelId: string;
beforeEach(async () => {
  dynamoDbProxy.failWhen(undefined);
  s3Proxy.failWhen(undefined);
  modelId = uniqueModelId("faults");
  await send("PUT", `/v1/models/${modelId}`, { task: "regression" });
});

async function send(method: string, path: string, body: unknown) {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: await response.json(),
  };
}

const records = Array.from({ length: 60 }, (_, index) => sampleRecord(index));
const ingest = () => send("POST", `/v1/models/${modelId}/predictions`, { records });

describe("storage faults", () => {
  it("answers 503 with Retry-After and removes the log object when DynamoDB keeps failing the index write", async () => {
    dynamoDbProxy.failWhen(dynamoDbOperation("BatchWriteItem"));
    const answer = await ingest();
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).toMatch(/^\d+$/);
    expect(answer.body).toMatchObject({ status: 503, title: "Service unavailable" });
    dynamoDbProxy.failWhen(undefined);
    expect(await logObjectKeys(modelId)).toEqual([]);
  });

  it("stores everything exactly once when the client retries after a 503", async () => {
    dynamoDbProxy.failWhen(dynamoDbOperation("BatchWriteItem"));
    expect((await ingest()).status).toBe(503);
    dynamoDbProxy.failWhen(undefined);
    const retry = await ingest();
    expect(retry.status).toBe(202);
    expect(await predictionItems(modelId)).toHaveLength(60);
    expect(await logObjectKeys(modelId)).toHaveLength(1);
  });

  it("answers 503 and indexes nothing when S3 rejects the log object", async () => {
    s3Proxy.failWhen(s3PutObject);
    const answer = await ingest();
    expect(answer.status).toBe(503);
    s3Proxy.failWhen(undefined);
    expect(await predictionItems(modelId)).toEqual([]);
  });

  it("answers 503 when DynamoDB cannot even be read", async () => {
    dynamoDbProxy.failWhen(() => true);
    const answer = await ingest();
    expect(answer.status).toBe(503);
    dynamoDbProxy.failWhen(undefined);
    expect(await logObjectKeys(modelId)).toEqual([]);
  });
});
