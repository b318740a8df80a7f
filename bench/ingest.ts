/**
 * Ingest throughput through the real handlers (local API Gateway, authorizer, ingest Lambda)
 * against DynamoDB Local and fauxqs, for batches of 1, 100 and 1000 records, plus the AWS
 * requests each ingest request makes, counted on the wire by a proxy in front of the emulators.
 */
import { performance } from "node:perf_hooks";
import { quantileSorted } from "simple-statistics";
import { startLocalApi } from "#shared/local/api-gateway";
import { startLocalAws } from "#shared/local/local-aws";
import { startAwsProxy } from "../test/support/aws-proxy.ts";
import { sampleRecord } from "../test/support/records.ts";

const ADMIN_TOKEN = "bench-admin";
const BATCH_SIZES = [1, 100, 1000];
/** Requests per batch size: enough for stable percentiles, bounded in time. */
const REQUESTS: Record<number, number> = { 1: 300, 100: 60, 1000: 12 };
const CONCURRENCY = 4;

const localAws = await startLocalAws();
const dynamoDbProxy = await startAwsProxy(localAws.dynamoDbEndpoint);
const awsProxy = await startAwsProxy(localAws.awsEndpoint);
try {
  Object.assign(process.env, localAws.environment, {
    AWS_ENDPOINT_URL: awsProxy.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbProxy.url,
    DRIFTWATCH_ADMIN_TOKEN: ADMIN_TOKEN,
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  const api = await startLocalApi(0);
  const post = (path: string, body: unknown, method = "POST") =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  await post("/v1/models/bench", { task: "classification" }, "PUT");

  for (const size of BATCH_SIZES) {
    const requests = REQUESTS[size] as number;
    const bodies = Array.from({ length: requests }, (_, request) => ({
      records: Array.from({ length: size }, (_, index) =>
        sampleRecord(index, { id: `b${size}-${request}-${index}` }),
      ),
    }));
    dynamoDbProxy.counts.clear();
    awsProxy.counts.clear();
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests) {
          const body = bodies[next++];
          const begin = performance.now();
          const response = await post("/v1/models/bench/predictions", body);
          if (response.status !== 202)
            throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
          await response.arrayBuffer();
          latencies.push(performance.now() - begin);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const perRequest = (count: number | undefined) => Number(((count ?? 0) / requests).toFixed(3));
    process.stdout.write(
      `${JSON.stringify({
        bench: "ingest",
        batchSize: size,
        requests,
        concurrency: CONCURRENCY,
        recordsPerSecond: Math.round((requests * size) / seconds),
        p50Ms: Number(quantileSorted(latencies, 0.5).toFixed(1)),
        p95Ms: Number(quantileSorted(latencies, 0.95).toFixed(1)),
        awsRequestsPerIngest: {
          s3Put: perRequest(awsProxy.counts.get("S3 PUT")),
          dynamoDbBatchWriteItem: perRequest(dynamoDbProxy.counts.get("BatchWriteItem")),
          dynamoDbBatchGetItem: perRequest(dynamoDbProxy.counts.get("BatchGetItem")),
          dynamoDbGetItem: perRequest(dynamoDbProxy.counts.get("GetItem")),
          targetBatchWriteItem: Math.ceil(size / 25),
        },
      })}\n`,
    );
  }
  await api.close();
} finally {
  await dynamoDbProxy.close();
  await awsProxy.close();
  await localAws.stop();
}
