import { SNSClient } from "@aws-sdk/client-sns";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { evaluateAlerts } from "#shared/alerts/evaluate-alerts";
import { alertsTopic } from "#shared/aws/resources";
import { subscribeQueue } from "#shared/local/provision";
import { type Notification, notificationSchema } from "#shared/schemas/alert";
import type { CheckResult } from "#shared/schemas/check-result";
import { type ModelConfig, modelConfigSchema } from "#shared/schemas/model-config";
import { findAlert, modelAlerts } from "#shared/storage/alert-store";
import { sampleCheck, uncomputedMetrics } from "../../support/check-results.ts";
import { uniqueModelId } from "../../support/stored-data.ts";

const HOUR = 3_600_000;
const START = Date.parse("2026-11-30T00:00:00.000Z");

let sns: SNSClient;
let sqs: SQSClient;
let queueUrl: string;
let topicArn: string;
const queues: string[] = [];
beforeAll(() => {
  Object.assign(process.env, inject("awsEnvironment"));
  sns = new SNSClient({});
  sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  topicArn = process.env[alertsTopic.envVar] as string;
});
afterAll(async () => {
  for (const url of queues) await sqs?.send(new DeleteQueueCommand({ QueueUrl: url }));
  sns?.destroy();
  sqs?.destroy();
});

/** Subscribes a queue of the test's own to one model's JSON notifications. */
async function listenTo(modelId: string) {
  ({ QueueUrl: queueUrl = "" } = await sqs.send(
    new CreateQueueCommand({ QueueName: `alerts-of-${modelId}` }),
  ));
  queues.push(queueUrl);
  await subscribeQueue(sns, sqs, topicArn, queueUrl, { modelId: [modelId], format: ["json"] });
}

/** Every notification that reached the test's queue so far (waiting a little for stragglers). */
async function received(): Promise<Notification[]> {
  const notifications: Notification[] = [];
  for (let empty = 0; empty < 2; ) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) empty++;
    for (const message of Messages) {
      notifications.push(notificationSchema.parse(JSON.parse(JSON.parse(message.Body ?? "").Message)));
    }
    // Received messages stay hidden for the queue's visibility timeout: each is seen once here.
  }
  return notifications;
}

/** A check of the hour ending `hours` after START, with the given metric values (the rest null). */
function check(
  modelId: string,
  hours: number,
  metrics: Partial<CheckResult["metrics"]>,
  checkId?: string,
): CheckResult {
  const to = new Date(START + hours * HOUR).toISOString();
  const rows = metrics.noData === 1 ? 0 : 500;
  return sampleCheck({
    modelId,
    checkId: checkId ?? `${to}#scheduled`,
    window: { from: new Date(START + (hours - 1) * HOUR).toISOString(), to },
    checkedAt: to,
    rows,
    drift: {
      status: "ok",
      currentRows: rows,
      share: metrics["drift.share"] ?? 0,
      driftedFeatures: ["tenure"],
      featureScores: { tenure: 0.4, plan: 0.01 },
    },
    performance: undefined,
    latency: { records: rows, errors: 0, errorRate: 0, timed: rows, p50: 1, p95: 2, p99: 3 },
    traffic: { count: rows, trailingWindows: 0, zScore: { notApplicable: "no trailing windows" } },
    metrics: { ...uncomputedMetrics, noData: 0, ...metrics },
  });
}

function config(rules: unknown[], cooldownSeconds = 3600): ModelConfig {
  return modelConfigSchema.parse({ task: "classification", alerts: { cooldownSeconds, rules } });
}

const at = (hours: number) => new Date(START + hours * HOUR);

describe("evaluating a check's alert rules (DynamoDB and SNS on the emulators)", () => {
  it("inhibits the data alerts while noData fires, and lets them speak once data is back", async () => {
    const modelId = uniqueModelId("inhibit");
    await listenTo(modelId);
    const rules = config([
      { name: "no-data", metric: "noData", threshold: 0.5, severity: "warning" },
      { name: "perf", metric: "performance.drop", threshold: 0.05, severity: "critical" },
    ]);
    // An empty window whose performance (of the last days, from labels) also dropped.
    await evaluateAlerts(check(modelId, 1, { noData: 1, "performance.drop": 0.3 }), rules, at(1));
    expect((await received()).map((n) => n.rule.name)).toEqual(["no-data"]);
    await evaluateAlerts(check(modelId, 2, { noData: 0, "performance.drop": 0.3 }), rules, at(2));
    expect((await received()).map((n) => `${n.rule.name} ${n.kind}`).sort()).toEqual([
      "no-data resolved",
      "perf firing",
    ]);
  });

  it("notifies once when two checks evaluate the same alert at the same time", async () => {
    const modelId = uniqueModelId("concurrent");
    await listenTo(modelId);
    const rules = config([{ name: "share", metric: "drift.share", threshold: 0.2, severity: "warning" }]);
    await Promise.all([
      evaluateAlerts(check(modelId, 1, { "drift.share": 0.5 }), rules, at(1)),
      evaluateAlerts(check(modelId, 1, { "drift.share": 0.5 }, "manual-1"), rules, at(1)),
      evaluateAlerts(check(modelId, 1, { "drift.share": 0.5 }, "manual-2"), rules, at(1)),
    ]);
    expect((await received()).map((n) => n.kind)).toEqual(["firing"]);
    expect((await modelAlerts(modelId)).map((alert) => alert.state)).toEqual(["firing"]);
  });

  it("publishes on the retry what a failed publish left in the outbox, once", async () => {
    const modelId = uniqueModelId("outbox");
    await listenTo(modelId);
    const rules = config([{ name: "share", metric: "drift.share", threshold: 0.2, severity: "warning" }]);
    const failing = check(modelId, 1, { "drift.share": 0.5 });
    process.env[alertsTopic.envVar] = `${topicArn}-gone`;
    await expect(evaluateAlerts(failing, rules, at(1))).rejects.toThrow();
    process.env[alertsTopic.envVar] = topicArn;
    const [stored] = await modelAlerts(modelId);
    expect(Object.keys(stored?.outbox ?? {})).toHaveLength(1);

    await evaluateAlerts(failing, rules, at(1));
    await evaluateAlerts(failing, rules, at(1));
    expect((await received()).map((n) => n.kind)).toEqual(["firing"]);
    expect((await findAlert(modelId, stored?.alertKey ?? ""))?.outbox).toEqual({});
  });

  it("keeps one alert per drifting feature for drift.maxPsi, and an info rule only logs", async () => {
    const modelId = uniqueModelId("per-feature");
    await listenTo(modelId);
    const rules = config([
      { name: "psi", metric: "drift.maxPsi", threshold: 0.2, severity: "warning" },
      { name: "quiet", metric: "drift.share", threshold: 0.2, severity: "info" },
    ]);
    const result = await evaluateAlerts(
      check(modelId, 1, { "drift.share": 0.5, "drift.maxPsi": 0.4 }),
      rules,
      at(1),
    );
    expect(result.notifications.map((n) => `${n.rule.name} ${n.feature}`)).toEqual(["psi tenure"]);
    expect((await received()).map((n) => n.topFeatures)).toEqual([[{ name: "tenure", score: 0.4 }]]);
    const states = (await modelAlerts(modelId)).map(
      (alert) => `${alert.rule.name}/${alert.feature ?? ""} ${alert.state}`,
    );
    expect(states.sort()).toEqual(["psi/tenure firing", "quiet/ firing"]);
  });

  it("resolves an open alert whose rule the model no longer has", async () => {
    const modelId = uniqueModelId("retired");
    await listenTo(modelId);
    await evaluateAlerts(
      check(modelId, 1, { "drift.share": 0.5 }),
      config([{ name: "old", metric: "drift.share", threshold: 0.2, severity: "warning" }]),
      at(1),
    );
    await evaluateAlerts(
      check(modelId, 2, { "drift.share": 0.5 }),
      config([{ name: "new", metric: "drift.share", threshold: 0.9, severity: "warning" }]),
      at(2),
    );
    expect((await received()).map((n) => `${n.rule.name} ${n.kind}`)).toEqual(["old firing", "old resolved"]);
  });
});
