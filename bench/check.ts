/**
 * A scheduled check over one hour holding 1,000,000 logged records (1,000 gzip NDJSON objects of
 * 1,000 records, 20 features) in S3 on the emulator, against a 100,000-row baseline: wall time, CPU
 * time, peak memory, the AWS requests made (counted on the wire by a proxy), and what that costs on AWS at list
 * prices, per check and per model-month of hourly checks; once in one process, as POST .../checks
 * runs it, and once fanned out in groups and merged, as the state machine runs it.
 */
import { performance } from "node:perf_hooks";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { startLocalAws } from "#shared/local/local-aws";
import { finishPlannedCheck, planScheduledCheck, summarizeGroupItem } from "#shared/monitoring/fan-out";
import { runCheck } from "#shared/monitoring/run-check";
import { modelConfigSchema } from "#shared/schemas/model-config";
import { saveBaseline } from "#shared/storage/baseline-store";
import { batchIdAt, logObjectKey } from "#shared/storage/log-keys";
import { saveModel } from "#shared/storage/model-store";
import { writeLogObject } from "#shared/storage/prediction-log";
import { mapWithConcurrency } from "#shared/util/concurrency";
import { startAwsProxy } from "../test/support/aws-proxy.ts";
import { Random } from "../test/support/random.ts";
import { baselineSummary, benchRecord } from "./support/check-records.ts";

const OBJECTS = 1000;
const RECORDS_PER_OBJECT = 1000;
const BASELINE_ROWS = 100_000;
const HOUR = 3_600_000;

/** us-east-1 list prices, December 2026. */
const PRICES = {
  s3GetPer1000: 0.0004,
  s3ListOrPutPer1000: 0.005,
  dynamoDbReadPerMillion: 0.125,
  dynamoDbWritePerMillion: 0.625,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  stepFunctionsPer1000Transitions: 0.025,
} as const;
/** Memory of the functions (infra/handler-specs.ts): run-checks, plan and summarize 2 GB, finish 4 GB. */
const MEMORY_GB = { inline: 2, summarize: 2, finish: 4 } as const;

const localAws = await startLocalAws();
const dynamoDbProxy = await startAwsProxy(localAws.dynamoDbEndpoint);
const awsProxy = await startAwsProxy(localAws.awsEndpoint);
const emit = (figures: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ bench: "check", ...figures })}\n`);
try {
  Object.assign(process.env, localAws.environment, {
    AWS_ENDPOINT_URL: awsProxy.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDbProxy.url,
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "ERROR",
  });
  const random = new Random(42);
  const modelId = "bench-check";
  const hourStart = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const window = { from: new Date(hourStart).toISOString(), to: new Date(hourStart + HOUR).toISOString() };
  await saveModel({
    modelId,
    config: modelConfigSchema.parse({ task: "classification", window: "PT1H" }),
    updatedAt: new Date().toISOString(),
  });

  process.stderr.write(
    `check: writing ${OBJECTS * RECORDS_PER_OBJECT} records in ${OBJECTS} log objects...\n`,
  );
  await mapWithConcurrency(
    Array.from({ length: OBJECTS }, (_, i) => i),
    8,
    async (object) => {
      const receivedAt = new Date(hourStart + Math.floor((object / OBJECTS) * HOUR));
      const records = Array.from({ length: RECORDS_PER_OBJECT }, (_, i) =>
        benchRecord(random, `o${object}-${i}`, receivedAt, 0.1),
      );
      await writeLogObject(
        logObjectKey(modelId, receivedAt, batchIdAt(receivedAt, `bench${object}`)),
        records,
      );
    },
  );

  process.stderr.write("check: storing the baseline...\n");
  await saveBaseline(
    modelId,
    baselineSummary(random, BASELINE_ROWS),
    { type: "records" },
    "bench",
    new Date(),
  );

  for (const mode of ["one process", "fanned out"] as const) {
    dynamoDbProxy.counts.clear();
    awsProxy.counts.clear();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 20);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const { outcome, gbSeconds } =
      mode === "one process"
        ? await timed(() => runCheck({ modelId, window, trigger: "manual" }, new Date()), MEMORY_GB.inline)
        : await fannedOut(modelId, new Date(hourStart + HOUR + 5000));
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const requests = {
      s3Get: awsProxy.counts.get("S3 GET") ?? 0,
      s3Put: awsProxy.counts.get("S3 PUT") ?? 0,
      s3Post: awsProxy.counts.get("S3 POST") ?? 0,
      dynamoDb: [...dynamoDbProxy.counts.values()].reduce((sum, count) => sum + count, 0),
    };
    // One ListObjectsV2 page per 1,000 keys of the hour partition; the other GETs read objects.
    const lists = Math.ceil(OBJECTS / 1000);
    const groups = Math.ceil(OBJECTS / 500);
    const cost =
      ((requests.s3Get - lists) / 1000) * PRICES.s3GetPer1000 +
      ((lists + requests.s3Put + requests.s3Post) / 1000) * PRICES.s3ListOrPutPer1000 +
      (requests.dynamoDb / 1e6) * PRICES.dynamoDbReadPerMillion +
      gbSeconds * PRICES.lambdaArmPerGbSecond +
      ((mode === "fanned out" ? groups + 2 : 1) / 1e6) * PRICES.lambdaPerMillionRequests +
      (mode === "fanned out" ? ((6 + 2 * groups) / 1000) * PRICES.stepFunctionsPer1000Transitions : 0);
    emit({
      case: `check, ${mode}`,
      rows: outcome.result.rows,
      features: Object.keys(outcome.driftReport?.features ?? {}).length,
      drifted: outcome.result.drift.driftedFeatures,
      seconds: Number(seconds.toFixed(2)),
      // Every thread of this process: zlib's pool, the collector's helpers, and the counting proxy too.
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
      peakRssMb: Math.round(peakRss / 1e6),
      awsRequests: { ...requests, s3List: lists },
      costPerCheckUsd: Number(cost.toFixed(5)),
      costPerModelMonthUsd: Number((cost * 24 * 30).toFixed(3)),
      lambdaGbSeconds: Number(gbSeconds.toFixed(1)),
      assumptions:
        "Lambda arm64 for the measured time of each step at its configured memory (this machine's core as a stand-in for Lambda's), us-east-1 list prices",
    });
  }
} finally {
  await dynamoDbProxy.close();
  await awsProxy.close();
  await localAws.stop();
}

/** Runs `work` and prices its wall time at `memoryGb`. */
async function timed<T>(
  work: () => Promise<T>,
  memoryGb: number,
): Promise<{ outcome: T; gbSeconds: number }> {
  const started = performance.now();
  const outcome = await work();
  return { outcome, gbSeconds: ((performance.now() - started) / 1000) * memoryGb };
}

/** The state machine's three steps in this process, each group summarised by its own "invocation". */
async function fannedOut(modelId: string, scheduledTime: Date) {
  const plan = await timed(() => planScheduledCheck(modelId, scheduledTime), MEMORY_GB.summarize);
  const planned = plan.outcome;
  const { Body } = await s3Client().send(
    new GetObjectCommand({ Bucket: planned.items.bucket, Key: planned.items.key }),
  );
  const items = JSON.parse(await (Body as { transformToString(): Promise<string> }).transformToString());
  const groups = await mapWithConcurrency(items, 2, (item: Parameters<typeof summarizeGroupItem>[0]) =>
    timed(() => summarizeGroupItem(item), MEMORY_GB.summarize),
  );
  const finish = await timed(() => finishPlannedCheck(planned, new Date()), MEMORY_GB.finish);
  const gbSeconds =
    plan.gbSeconds + finish.gbSeconds + groups.reduce((sum, group) => sum + group.gbSeconds, 0);
  return { outcome: finish.outcome, gbSeconds };
}
