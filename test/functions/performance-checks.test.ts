import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import {
  finishPlannedCheck,
  type GroupItem,
  planScheduledCheck,
  summarizeGroupItem,
} from "#shared/monitoring/fan-out";
import { assessLabels } from "#shared/monitoring/performance/performance-check";
import { runCheck } from "#shared/monitoring/run-check";
import { modelConfigSchema } from "#shared/schemas/model-config";
import { batchIdAt, hourPartition } from "#shared/storage/log-keys";
import { mapWithConcurrency } from "#shared/util/concurrency";
import { type AwsProxy, startAwsProxy } from "../support/aws-proxy.ts";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { Random } from "../support/random.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();
let s3Proxy: AwsProxy;
// Every S3 request of this file passes a counting proxy (the API's handlers run in this process).
beforeAll(async () => {
  s3Proxy = await startAwsProxy(process.env.AWS_ENDPOINT_URL as string);
  process.env.AWS_ENDPOINT_URL = s3Proxy.url;
});
afterAll(async () => {
  await s3Proxy?.close();
});
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function createModel(config: Record<string, unknown>): Promise<string> {
  const modelId = uniqueModelId("perf");
  const answer = await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body: config });
  expect(answer.status).toBe(200);
  return modelId;
}

async function logPredictions(
  modelId: string,
  records: readonly Record<string, unknown>[],
  perRequest = 250,
) {
  for (let start = 0; start < records.length; start += perRequest) {
    const answer = await call("POST", `/v1/models/${modelId}/predictions`, {
      token: ADMIN_TOKEN,
      body: { records: records.slice(start, start + perRequest) },
    });
    expect(answer.status).toBe(202);
  }
}

async function postLabels(modelId: string, labels: readonly { id: string; label: number | string }[]) {
  const answer = await call("POST", `/v1/models/${modelId}/ground-truth`, {
    token: ADMIN_TOKEN,
    body: { labels },
  });
  expect(answer.status).toBe(202);
  expect(answer.body.unmatched).toEqual([]);
}

const runChecks = (modelId: string) => call("POST", `/v1/models/${modelId}/checks`, { token: ADMIN_TOKEN });

interface OldLabel {
  id: string;
  label: number | string;
  prediction: number | string;
  probabilities?: Record<string, number>;
}

/**
 * Ground truth of predictions received `daysAgo` days ago, labelled a day after them. Waiting days
 * for a reference period is not an option in a test, so the label batches are written straight to
 * the emulator's S3 in the documented layout (`labels/model=<id>/dt=…/hour=…/<batchId>.ndjson.gz`,
 * the prediction's receipt hour, the write time in the batch id), as the ground-truth ingest writes
 * them; the performance check reads nothing else for those periods.
 */
async function writeOldLabels(modelId: string, daysAgo: number, labels: readonly OldLabel[]) {
  await writeLabelObject(modelId, new Date(Date.now() - daysAgo * DAY), labels);
}

async function writeLabelObject(modelId: string, receivedAt: Date, labels: readonly OldLabel[]) {
  const labeledAt = new Date(receivedAt.getTime() + DAY);
  const lines = labels.map((label) => ({
    ...label,
    receivedAt: receivedAt.toISOString(),
    labeledAt: labeledAt.toISOString(),
  }));
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: `labels/model=${modelId}/${hourPartition(receivedAt)}${batchIdAt(labeledAt, randomUUID())}.ndjson.gz`,
      Body: gzipSync(lines.map((line) => `${JSON.stringify(line)}\n`).join("")),
    }),
  );
}

/** Binary predictions with probabilities: `right` of `count` predictions match the label that follows. */
function classified(prefix: string, count: number, right: number, random: Random) {
  return Array.from({ length: count }, (_, i) => {
    const label = random.int(2);
    const prediction = i < right ? label : 1 - label;
    const p1 = prediction === 1 ? 0.6 + 0.4 * random.next() : 0.4 * random.next();
    return { id: `${prefix}-${i}`, label, prediction, probabilities: { "0": 1 - p1, "1": p1 } };
  });
}

const asPrediction = ({ id, prediction, probabilities }: OldLabel) => ({
  id,
  features: { x: id.length },
  prediction,
  ...(probabilities ? { probabilities } : {}),
});

describe("the performance check", () => {
  it("answers no-labels before any ground truth, and the realised accuracy once labels arrive", async () => {
    const modelId = await createModel({ task: "classification", minSamples: 20 });
    const rows = classified("p", 100, 80, new Random(1));
    await logPredictions(modelId, rows.map(asPrediction));

    const before = await runChecks(modelId);
    expect(before.status).toBe(200);
    expect(before.body.performanceReport).toMatchObject({
      status: "no-labels",
      task: "classification",
      dropped: null,
      current: { labelled: 0, rows: 100, coverage: 0, labelLag: null },
    });
    expect(before.body.metrics["performance.drop"]).toBeNull();

    // Labels for 60 of the predictions: the first 50 (all predicted right) and 10 predicted wrong.
    const labelled = [...rows.slice(0, 50), ...rows.slice(90)];
    await postLabels(
      modelId,
      labelled.map(({ id, label }) => ({ id, label })),
    );
    const after = await runChecks(modelId);
    const report = after.body.performanceReport;
    expect(report.current.labelled).toBe(60);
    expect(report.current.metrics.accuracy).toBe(50 / 60);
    expect(report.current.coverage).toBe(60 / 100);
    expect(report.current.labelLag.medianSeconds).toBeGreaterThanOrEqual(0);
    expect(report.current.labelLag.medianSeconds).toBeLessThan(60);
    expect(report).toMatchObject({
      status: "insufficient-data",
      reason: "60 current and 0 reference labelled predictions; minSamples is 20 on each side",
      dropped: null,
    });
    expect(after.body.performance).toMatchObject({ status: "insufficient-data", currentLabelled: 60 });
  });

  it("flags a degraded current period against a good reference period, and keeps the drop for alert rules", async () => {
    const modelId = await createModel({ task: "classification", minSamples: 50 });
    const random = new Random(2);
    await writeOldLabels(modelId, 12, classified("ref", 200, 180, random));
    const current = classified("cur", 100, 60, random);
    await logPredictions(modelId, current.map(asPrediction));
    await postLabels(
      modelId,
      current.map(({ id, label }) => ({ id, label })),
    );

    const check = await runChecks(modelId);
    const report = check.body.performanceReport;
    expect(report.status).toBe("ok");
    expect(report.reference).toMatchObject({ labelled: 200, rows: null, coverage: null });
    expect(report.reference.metrics.accuracy).toBe(180 / 200);
    expect(report.current.metrics.accuracy).toBe(60 / 100);
    expect(report.comparison.accuracy).toMatchObject({ current: 0.6, reference: 0.9, dropped: true });
    expect(report.comparison.accuracy.relativeDrop).toBeCloseTo((0.9 - 0.6) / 0.9, 12);
    expect(Object.keys(report.comparison).sort()).toEqual(["accuracy", "f1.macro", "logLoss", "rocAuc"]);
    expect(report.dropped).toBe(true);
    expect(check.body.metrics["performance.drop"]).toBe(report.drop);
    expect(check.body.metrics["performance.drop"]).toBeGreaterThan(0.05);

    const view = await call("GET", `/v1/models/${modelId}/performance`, { token: ADMIN_TOKEN });
    expect(view.status).toBe(200);
    expect(view.body.latest).toEqual(report);
    expect(view.body.history).toHaveLength(1);
    expect(view.body.history[0]).toMatchObject({
      checkId: check.body.checkId,
      status: "ok",
      dropped: true,
      drop: report.drop,
      realised: { labelled: 100, accuracy: 0.6 },
    });
    const key = check.body.performance.reportKey;
    expect(key).toMatch(new RegExp(`^reports/model=${modelId}/performance/.+\\.json$`));
    const { Body } = await s3Client().send(
      new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }),
    );
    expect(JSON.parse(await (Body as { transformToString(): Promise<string> }).transformToString())).toEqual(
      report,
    );
  });

  it("estimates the window's accuracy from its probabilities before labels, then sets it against the realised one", async () => {
    const modelId = await createModel({ task: "classification", minSamples: 50 });
    // Reference: at p(1) = 0.8, 70 of 100 are labelled 1; at p(1) = 0.2, 10 of 100. Isotonic calibration
    // of two points that already increase is their means: 0.8 -> 0.7 and 0.2 -> 0.1.
    const reference = Array.from({ length: 200 }, (_, i) => {
      const high = i < 100;
      const label = high ? (i < 70 ? 1 : 0) : i < 110 ? 1 : 0;
      return {
        id: `ref-${i}`,
        label,
        prediction: high ? 1 : 0,
        probabilities: high ? { "0": 0.2, "1": 0.8 } : { "0": 0.8, "1": 0.2 },
      };
    });
    await writeOldLabels(modelId, 20, reference);
    // Current window: 40 predictions of 1 at p = 0.8 (right with probability 0.7), 60 of 0 at p = 0.2
    // (right with probability 1 - 0.1): CBPE expects (40 * 0.7 + 60 * 0.9) / 100 = 0.82.
    const current = Array.from({ length: 100 }, (_, i) => ({
      id: `cur-${i}`,
      features: { x: i },
      prediction: i < 40 ? 1 : 0,
      probabilities: i < 40 ? { "0": 0.2, "1": 0.8 } : { "0": 0.8, "1": 0.2 },
    }));
    await logPredictions(modelId, current);

    const first = await runChecks(modelId);
    expect(first.body.performanceReport.estimated).toMatchObject({
      rows: 100,
      withoutProbabilities: 0,
      calibration: { method: "binary", classes: ["0", "1"], referenceRows: 200 },
    });
    expect(first.body.performanceReport.estimated.accuracy).toBeCloseTo(0.82, 12);
    expect(first.body.metrics["performance.estimatedAccuracy"]).toBeCloseTo(0.82, 12);

    // Realised: 30 of the 40 ones and 51 of the 60 zeros are right, 81 of 100.
    await postLabels(
      modelId,
      current.map(({ id }, i) => ({
        id,
        label: i < 40 ? (i < 30 ? 1 : 0) : i < 91 ? 0 : 1,
      })),
    );
    await runChecks(modelId);
    const view = await call("GET", `/v1/models/${modelId}/performance`, { token: ADMIN_TOKEN });
    const entry = view.body.history.find(
      (check: { checkId: string }) => check.checkId === first.body.checkId,
    );
    expect(entry.estimatedAccuracy).toBeCloseTo(0.82, 12);
    expect(entry.realised).toEqual({ labelled: 100, accuracy: 0.81 });
    expect(
      view.body.latest.windows.find((w: { checkId: string }) => w.checkId === first.body.checkId),
    ).toMatchObject({
      labelled: 100,
      accuracy: 0.81,
    });
  });

  it("computes MAE, RMSE, MAPE and R² of a regression model equal to their definitions", async () => {
    const modelId = await createModel({ task: "regression", minSamples: 20 });
    const random = new Random(4);
    const values = Array.from({ length: 80 }, (_, i) => {
      const actual = 100 + 15 * random.normal();
      return { id: `r-${i}`, actual, predicted: actual + 5 * random.normal() };
    });
    await writeOldLabels(
      modelId,
      9,
      values.slice(0, 40).map(({ id, actual, predicted }) => ({ id, label: actual, prediction: predicted })),
    );
    const current = values.slice(40);
    await logPredictions(
      modelId,
      current.map(({ id, predicted }) => ({ id, features: { x: 1 }, prediction: predicted })),
    );
    await postLabels(
      modelId,
      current.map(({ id, actual }) => ({ id, label: actual })),
    );
    const report = (await runChecks(modelId)).body.performanceReport;
    expect(report).toMatchObject({ task: "regression", status: "ok" });
    expect(Object.keys(report.comparison).sort()).toEqual(["mae", "r2", "rmse"]);
    for (const [side, rows] of [
      ["current", current],
      ["reference", values.slice(0, 40)],
    ] as const) {
      const n = rows.length;
      const errors = rows.map(({ actual, predicted }) => predicted - actual);
      const mean = rows.reduce((sum, { actual }) => sum + actual, 0) / n;
      const squared = errors.reduce((sum, e) => sum + e * e, 0);
      const metrics = report[side].metrics;
      expect(metrics.rows).toBe(n);
      expect(metrics.mae).toBeCloseTo(errors.reduce((sum, e) => sum + Math.abs(e), 0) / n, 10);
      expect(metrics.rmse).toBeCloseTo(Math.sqrt(squared / n), 10);
      expect(metrics.mape).toBeCloseTo(
        rows.reduce((sum, { actual }, i) => sum + Math.abs(errors[i] as number) / Math.abs(actual), 0) / n,
        10,
      );
      expect(metrics.r2).toBeCloseTo(
        1 - squared / rows.reduce((sum, { actual }) => sum + (actual - mean) ** 2, 0),
        10,
      );
    }
  });

  it("gives the same performance report and estimate when the check fans out over many groups", async () => {
    const modelId = await createModel({
      task: "classification",
      minSamples: 30,
      schedule: "rate(1 hour)",
      window: "PT2H",
    });
    const random = new Random(5);
    await writeOldLabels(modelId, 10, classified("ref-a", 150, 130, random));
    await writeOldLabels(modelId, 25, classified("ref-b", 150, 120, random));
    const current = classified("cur", 240, 170, random);
    await logPredictions(modelId, current.map(asPrediction), 40);
    await postLabels(
      modelId,
      current.slice(0, 120).map(({ id, label }) => ({ id, label })),
    );

    // The scheduled window [hour - 1 h, hour + 1 h) of a schedule fired at the next hour holds every
    // prediction just logged; one group per log object.
    const planned = await planScheduledCheck(modelId, new Date(Date.now() + HOUR), { objects: 1, bytes: 1 });
    expect(planned.groupCount).toBe(6);
    const { Body } = await s3Client().send(
      new GetObjectCommand({ Bucket: planned.items.bucket, Key: planned.items.key }),
    );
    const items = JSON.parse(await (Body as { transformToString(): Promise<string> }).transformToString());
    for (const item of items as GroupItem[]) await summarizeGroupItem(item);
    const fannedOut = await finishPlannedCheck(planned, new Date());
    const onePass = await runCheck({ modelId, window: planned.window, trigger: "manual" }, new Date());

    const compared = ({ performanceReport: report }: typeof onePass) => {
      const { checkId: _, windows: __, ...rest } = report;
      return rest;
    };
    expect(fannedOut.performanceReport.status).toBe("ok");
    expect(compared(fannedOut)).toEqual(compared(onePass));
    expect(fannedOut.result.metrics["performance.estimatedAccuracy"]).toBe(
      onePass.result.metrics["performance.estimatedAccuracy"],
    );
    expect(fannedOut.result.metrics["performance.estimatedAccuracy"]).toEqual(expect.any(Number));
    expect(fannedOut.result.metrics["performance.drop"]).toBe(onePass.result.metrics["performance.drop"]);
    const scratch = await s3Client().send(
      new ListObjectsV2Command({
        Bucket: bucketName(dataBucket),
        Prefix: `${dataBucket.partialsPrefix}${encodeURIComponent(planned.checkId)}/`,
      }),
    );
    expect(scratch.Contents ?? []).toEqual([]);
  });

  it("reads only its periods' label batches: one listing per 1,000 objects and one GET per object", async () => {
    const config = { task: "classification", minSamples: 10 } as const;
    const modelId = await createModel(config);
    // A check of a window three days back: current period [end - 7 d, end), reference [end - 37 d, end - 7 d).
    const end = Math.floor((Date.now() - 3 * DAY) / HOUR) * HOUR;
    const window = { from: new Date(end - HOUR).toISOString(), to: new Date(end).toISOString() };
    const at = (time: number) => new Date(time);
    const one = (id: string) => [{ id, label: 1, prediction: 1 }];
    await mapWithConcurrency(
      Array.from({ length: 1100 }, (_, i) => i),
      16,
      (i) => writeLabelObject(modelId, at(end - (i + 1) * 5 * 60_000), one(`cur-${i}`)),
    );
    for (const days of [8, 20, 36.9])
      await writeLabelObject(modelId, at(end - days * DAY), one(`ref-${days}`));
    // Outside both periods: before the reference period, and after the window's end.
    for (const time of [end - 37.5 * DAY, end, end + 2 * HOUR, end + 2 * DAY])
      await writeLabelObject(modelId, at(time), one(`out-${time}`));

    s3Proxy.counts.clear();
    const labels = await assessLabels(
      { modelId, checkId: `${window.to}#manual-count`, window },
      modelConfigSchema.parse(config),
    );
    expect(labels.current.labelled).toBe(1100);
    expect(labels.reference.labelled).toBe(3);
    expect(Object.fromEntries(s3Proxy.counts)).toEqual({ "S3 GET": 2 + 1100 + 3 });
  });

  it("serves GET /performance to the model's own token, and refuses a bad history query", async () => {
    const modelId = await createModel({ task: "classification" });
    const empty = await call("GET", `/v1/models/${modelId}/performance`, { token: ADMIN_TOKEN });
    expect(empty).toMatchObject({ status: 200, body: { latest: null, history: [] } });
    const { body } = await call("POST", `/v1/models/${modelId}/tokens`, { token: ADMIN_TOKEN });
    await logPredictions(modelId, [{ id: "a", features: { x: 1 }, prediction: 1 }]);
    await runChecks(modelId);
    const own = await call("GET", `/v1/models/${modelId}/performance?limit=1`, { token: body.token });
    expect(own.status).toBe(200);
    expect(own.body.latest).toMatchObject({ status: "no-labels", current: { rows: 1 } });
    const bad = await call("GET", `/v1/models/${modelId}/performance?limit=0`, { token: ADMIN_TOKEN });
    expect(bad.status).toBe(400);
    const other = await call("GET", `/v1/models/${uniqueModelId("perf")}/performance`, { token: body.token });
    expect(other.status).toBe(403);
  });

  it("stores the performance settings with their defaults, and refuses a metric of the other task", async () => {
    const modelId = uniqueModelId("perf");
    const put = await call("PUT", `/v1/models/${modelId}`, {
      token: ADMIN_TOKEN,
      body: { task: "regression" },
    });
    expect(put.body.performance).toEqual({
      maxRelativeDrop: 0.05,
      currentPeriod: "P7D",
      referencePeriod: "P30D",
      metrics: ["mae", "rmse", "r2"],
    });
    const bad = await call("PUT", `/v1/models/${modelId}`, {
      token: ADMIN_TOKEN,
      body: { task: "classification", performance: { metrics: ["accuracy", "mae"], currentPeriod: "P1M" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual([
      "performance.currentPeriod",
      "performance.metrics[1]",
    ]);
    const wrongTask = await call("PUT", `/v1/models/${modelId}`, {
      token: ADMIN_TOKEN,
      body: {
        task: "classification",
        performance: { metrics: ["accuracy", { metric: "mae", maxRelativeDrop: 0.2 }] },
      },
    });
    expect(wrongTask.status).toBe(400);
    expect(wrongTask.body.errors.map((error: { path: string }) => error.path)).toEqual([
      "performance.metrics[1]",
    ]);
  });
});
