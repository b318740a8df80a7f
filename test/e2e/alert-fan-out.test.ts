import { setTimeout as sleep } from "node:timers/promises";
import { DeleteMessageCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqsClient } from "#shared/aws/clients";
import { alertDeadLetterQueue, slackWebhookSecret } from "#shared/aws/resources";
import { startAlertFanOut } from "#shared/local/alert-fan-out";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { churnRecords, monitoredModel } from "../support/monitored-model.ts";
import { Random } from "../support/random.ts";
import {
  mentions,
  type ReceivedPost,
  startWebhookReceiver,
  type WebhookReceiver,
} from "../support/webhook-receiver.ts";

/**
 * Checks through the API, their notifications through the emulated SNS topic and its subscription
 * queues to the real Slack and rollback handlers (as Lambda's event source mappings would call them),
 * and on to a webhook receiver on 127.0.0.1.
 */
const call = useLocalApi();
let receiver: WebhookReceiver;
let fanOut: { stop: () => Promise<void> };
const deadLettered: string[] = [];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  process.env[slackWebhookSecret.localEnvVar] = `${receiver.url}/slack`;
  fanOut = startAlertFanOut({
    retrySeconds: 1,
    onDeadLetter: (_, message) => deadLettered.push(message.Body ?? ""),
  });
});
afterAll(async () => {
  await fanOut?.stop();
  await receiver?.close();
  delete process.env[slackWebhookSecret.localEnvVar];
});

const slackPosts = (modelId: string, ok = true) =>
  receiver.posts.filter(
    (post) => post.path === "/slack" && mentions(post, modelId) && post.status < 300 === ok,
  );
const rollbackPosts = (modelId: string) =>
  receiver.posts.filter((post) => post.path === "/rollback" && mentions(post, modelId) && post.status < 300);

/** Waits until `count` posts have arrived, then a while longer, so that one too many would show. */
async function settled(
  posts: () => ReceivedPost[],
  count: number,
  timeoutMs = 30_000,
): Promise<ReceivedPost[]> {
  const deadline = Date.now() + timeoutMs;
  while (posts().length < count && Date.now() < deadline) await sleep(100);
  await sleep(2500);
  return posts();
}

/** What a Slack post announces, from its fallback text. */
const kindOf = (post: ReceivedPost) => {
  const text = (post.body as { text: string }).text;
  return text.startsWith("Resolved") ? "resolved" : text.startsWith("Reminder") ? "reminder" : "firing";
};

describe("alerts fanned out through SNS to Slack and rollback", () => {
  it("a critical rule with for: 2 fires once over three drifted checks, rolls back once, reminds after the cooldown, and resolves", async () => {
    const model = await monitoredModel(call, "fanout", {
      alerts: {
        cooldownSeconds: 6,
        rules: [
          {
            name: "drift",
            metric: "drift.share",
            threshold: 0.2,
            severity: "critical",
            for: 2,
            action: "rollback",
          },
        ],
        rollback: { type: "webhook", url: `${receiver.url}/rollback` },
      },
    });
    const first = await model.check(2);
    expect(first.metrics["drift.share"]).toBe(0.5);
    expect(first.notifications).toEqual([]);
    const second = await model.check(2);
    expect(second.notifications.map((n: { kind: string }) => n.kind)).toEqual(["firing"]);
    await model.check(2);
    expect(await settled(() => slackPosts(model.modelId), 1)).toHaveLength(1);
    expect(await settled(() => rollbackPosts(model.modelId), 1)).toHaveLength(1);

    await sleep(6000);
    const fourth = await model.check(2);
    expect(fourth.notifications.map((n: { kind: string }) => n.kind)).toEqual(["reminder"]);
    expect(await settled(() => slackPosts(model.modelId), 2)).toHaveLength(2);

    const normal = await model.check(0);
    expect(normal.notifications.map((n: { kind: string }) => n.kind)).toEqual(["resolved"]);
    const posts = await settled(() => slackPosts(model.modelId), 3);
    expect(posts).toHaveLength(3);
    expect(rollbackPosts(model.modelId)).toHaveLength(1);
    expect(posts.map(kindOf)).toEqual(["firing", "reminder", "resolved"]);
  });

  it("an acknowledged alert sends no reminder, and still tells when it resolves", async () => {
    const model = await monitoredModel(call, "acked", {
      alerts: {
        cooldownSeconds: 1,
        rules: [{ name: "drift", metric: "drift.share", threshold: 0.2, severity: "warning" }],
      },
    });
    const fired = await model.check(2);
    const alertId = fired.notifications[0].alertId;
    expect(await settled(() => slackPosts(model.modelId), 1)).toHaveLength(1);
    expect((await call("POST", `/v1/alerts/${alertId}/ack`, { token: ADMIN_TOKEN })).status).toBe(200);
    await sleep(1500);
    expect((await model.check(2)).notifications).toEqual([]);
    expect((await model.check(0)).notifications.map((n: { kind: string }) => n.kind)).toEqual(["resolved"]);
    expect(await settled(() => slackPosts(model.modelId), 2)).toHaveLength(2);
    const listed = await call("GET", `/v1/alerts?model=${model.modelId}`, { token: ADMIN_TOKEN });
    expect(listed.body.alerts).toMatchObject([{ alertId, state: "resolved", acknowledgedBy: "admin" }]);
  });

  it("two concurrent checks of one window notify once", async () => {
    const model = await monitoredModel(call, "concurrent", {
      alerts: {
        rules: [{ name: "drift", metric: "drift.share", threshold: 0.2, severity: "warning" }],
      },
    });
    await call("POST", `/v1/models/${model.modelId}/predictions`, {
      token: ADMIN_TOKEN,
      body: { records: churnRecords(new Random(3), 200, 2) },
    });
    await sleep(5);
    const window = { from: new Date(Date.now() - 60_000).toISOString(), to: new Date().toISOString() };
    const answers = await Promise.all(
      [1, 2].map(() =>
        call("POST", `/v1/models/${model.modelId}/checks`, { token: ADMIN_TOKEN, body: { window } }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.flatMap((answer) => answer.body.notifications)).toHaveLength(1);
    expect(await settled(() => slackPosts(model.modelId), 1)).toHaveLength(1);
  });

  it("a Slack webhook that fails twice and then succeeds delivers once", async () => {
    const model = await monitoredModel(call, "flaky", {
      alerts: {
        rules: [{ name: "drift", metric: "drift.share", threshold: 0.2, severity: "warning" }],
      },
    });
    let failures = 0;
    receiver.respond = (post) => (mentions(post, model.modelId) && failures++ < 2 ? 503 : 200);
    try {
      await model.check(2);
      expect(await settled(() => slackPosts(model.modelId), 1)).toHaveLength(1);
      expect(slackPosts(model.modelId, false)).toHaveLength(2);
    } finally {
      receiver.respond = () => 200;
    }
  });

  it("a Slack webhook that keeps failing sends the message to the alert dead-letter queue", async () => {
    const model = await monitoredModel(call, "broken", {
      alerts: {
        rules: [{ name: "drift", metric: "drift.share", threshold: 0.2, severity: "warning" }],
      },
    });
    receiver.respond = (post) => (mentions(post, model.modelId) ? 500 : 200);
    try {
      await model.check(2);
      const deadline = Date.now() + 90_000;
      while (!deadLettered.some((body) => body.includes(model.modelId)) && Date.now() < deadline)
        await sleep(250);
      expect(slackPosts(model.modelId)).toHaveLength(0);
      expect(slackPosts(model.modelId, false).length).toBeGreaterThanOrEqual(3);
      expect(await deadLetteredFor(model.modelId)).toBe(true);
    } finally {
      receiver.respond = () => 200;
    }
  }, 120_000);
});

/** Whether the alert dead-letter queue holds a message about the model (taken out once found). */
async function deadLetteredFor(modelId: string): Promise<boolean> {
  const queueUrl = process.env[alertDeadLetterQueue.envVar] as string;
  for (let polls = 0; polls < 10; polls++) {
    const { Messages = [] } = await sqsClient().send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: 0,
      }),
    );
    const found = Messages.find((message) => message.Body?.includes(modelId));
    if (found) {
      await sqsClient().send(
        new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: found.ReceiptHandle }),
      );
      return true;
    }
  }
  return false;
}
