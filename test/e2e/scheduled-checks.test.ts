import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterEach, describe, expect, it } from "vitest";
import { dynamoDbClient } from "#shared/aws/clients";
import { checkDeadLetterQueue, modelsTable } from "#shared/aws/resources";
import { requiredEnv, tableName } from "#shared/config/environment";
import { type ScheduledCheckEvent, startLocalScheduler } from "#shared/local/local-scheduler";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { Random } from "../support/random.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();
const MINUTE = 60_000;

function records(random: Random, count: number, shift = 0) {
  return Array.from({ length: count }, () => ({
    features: { tenure: 24 + 6 * (random.normal() + shift), plan: random.next() < 0.3 ? "pro" : "basic" },
    prediction: random.next() < 0.2 ? "churn" : "stay",
    latencyMs: 10 + 5 * random.next(),
  }));
}

let stopScheduler: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopScheduler?.();
  stopScheduler = undefined;
});

/**
 * Runs the local scheduler on a clock set just before the next minute boundary, so a `rate(1 minute)`
 * schedule fires within two seconds instead of up to a minute, and resolves with the first check.
 */
function firstScheduledCheck(modelId: string): Promise<ScheduledCheckEvent & { boundary: Date }> {
  const realNow = Date.now();
  const boundary = new Date((Math.floor(realNow / MINUTE) + 1) * MINUTE);
  const offset = boundary.getTime() - realNow - 1500;
  return new Promise((resolve) => {
    const scheduler = startLocalScheduler({
      now: () => new Date(Date.now() + offset),
      includes: (id) => id === modelId,
      onCheck: (event) => resolve({ ...event, boundary }),
    });
    stopScheduler = scheduler.stop;
  });
}

describe("scheduled checks (local scheduler running the state machine's handlers)", () => {
  it("fire on the schedule, check the aligned window against the baseline and keep the result", async () => {
    const modelId = uniqueModelId("sched");
    const random = new Random(21);
    await call("PUT", `/v1/models/${modelId}`, {
      token: ADMIN_TOKEN,
      body: { task: "classification", schedule: "rate(1 minute)", window: "PT10M", minSamples: 50 },
    });
    await call("PUT", `/v1/models/${modelId}/baseline`, {
      token: ADMIN_TOKEN,
      body: { records: records(random, 500) },
    });
    const logged = await call("POST", `/v1/models/${modelId}/predictions`, {
      token: ADMIN_TOKEN,
      body: { records: records(random, 400, 1.5) },
    });
    expect(logged.status).toBe(202);

    const check = await firstScheduledCheck(modelId);
    expect(check.error).toBeUndefined();
    expect(check.scheduledTime).toEqual(check.boundary);
    expect(check.outcome).toMatchObject({
      checkId: `${check.boundary.toISOString()}#scheduled`,
      rows: 400,
      drift: { status: "ok", driftedFeatures: ["tenure"] },
    });

    const drift = await call("GET", `/v1/models/${modelId}/drift`, { token: ADMIN_TOKEN });
    expect(drift.body.latest).toMatchObject({
      status: "ok",
      window: {
        from: new Date(check.boundary.getTime() - 10 * MINUTE).toISOString(),
        to: check.boundary.toISOString(),
      },
      driftedFeatures: ["tenure"],
    });
    expect(drift.body.history[0]).toMatchObject({
      checkId: `${check.boundary.toISOString()}#scheduled`,
      rows: 400,
    });
  });

  it("sends a check that keeps failing to the dead-letter queue", async () => {
    const modelId = uniqueModelId("sched-fail");
    // A window in months cannot be checked: written past the API's validation, it stands for any
    // fault that makes every attempt fail.
    await call("PUT", `/v1/models/${modelId}`, {
      token: ADMIN_TOKEN,
      body: { task: "classification", schedule: "rate(1 minute)" },
    });
    await dynamoDbClient().send(
      new UpdateCommand({
        TableName: tableName(modelsTable),
        Key: { modelId },
        UpdateExpression: "SET config.#window = :window",
        ExpressionAttributeNames: { "#window": "window" },
        ExpressionAttributeValues: { ":window": "P1M" },
      }),
    );
    const check = await firstScheduledCheck(modelId);
    expect(check.error?.message).toMatch(/P1M/);
    const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
    const messages: string[] = [];
    for (let poll = 0; poll < 5 && !messages.some((body) => body.includes(modelId)); poll++) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: requiredEnv(checkDeadLetterQueue.envVar),
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      messages.push(...(Messages ?? []).map((message) => message.Body ?? ""));
    }
    const dead = messages.map((body) => JSON.parse(body)).find((body) => body.modelId === modelId);
    expect(dead).toMatchObject({ modelId, scheduledTime: check.boundary.toISOString() });
  }, 30_000);
});
