import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { SQSRecord } from "aws-lambda";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from "vitest";
import { deliverToSlack, SLACK_CHANNEL } from "#shared/alerts/slack-delivery";
import { slackMessage, slackMessageAsText } from "#shared/alerts/slack-message";
import { slackDeliveryQueue, slackWebhookSecret } from "#shared/aws/resources";
import type { RetryPolicy } from "#shared/http/with-retries";
import { logger } from "#shared/observability";
import type { Notification } from "#shared/schemas/alert";
import { markDelivered, wasDelivered } from "#shared/storage/delivery-markers";
import { invokeWithRecords, snsDelivery } from "../support/alert-deliveries.ts";
import { type LoopbackServer, listenOnLoopback, requestBody } from "../support/loopback-server.ts";
import { sampleNotification } from "../support/notifications.ts";
import { uniqueModelId } from "../support/stored-data.ts";

/** The production policy's shape with waits of a few milliseconds. */
const QUICK_POLICY: RetryPolicy = {
  retries: 2,
  baseDelayMs: 1,
  maxDelayMs: 5,
  maxRetryAfterMs: 50,
  timeoutMs: 2000,
  maxElapsedMs: 5000,
};

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A Slack incoming webhook on 127.0.0.1: each path answers its script of replies in turn (the last
 * one from then on; 200 "ok" without a script) and keeps the bodies posted to it.
 */
class WebhookReceiver {
  readonly posts = new Map<string, unknown[]>();
  private readonly scripts = new Map<string, Reply[]>();
  private readonly server: Server = createServer(async (request, response) => {
    const body = JSON.parse(await requestBody(request));
    const path = request.url ?? "/";
    const posted = this.posts.get(path) ?? [];
    posted.push(body);
    this.posts.set(path, posted);
    const script = this.scripts.get(path) ?? [];
    const reply = script[Math.min(posted.length - 1, script.length - 1)] ?? { status: 200, body: "ok" };
    response.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
    response.end(reply.body ?? "");
  });
  private listening: LoopbackServer = { url: "", close: async () => undefined };

  async start(): Promise<void> {
    this.listening = await listenOnLoopback(this.server);
  }

  /** A webhook URL of its own for one test, answering `script`. */
  webhook(script: Reply[] = []): { url: string; posts: () => unknown[] } {
    const path = `/services/${randomUUID()}`;
    this.scripts.set(path, script);
    return { url: `${this.listening.url}${path}`, posts: () => this.posts.get(path) ?? [] };
  }

  async stop(): Promise<void> {
    await this.listening.close();
  }
}

const receiver = new WebhookReceiver();
const savedWebhookUrl = process.env[slackWebhookSecret.localEnvVar];
beforeAll(async () => {
  Object.assign(process.env, inject("awsEnvironment"));
  // The logger was made as this file's imports ran, before the environment set its level (ERROR).
  logger.setLogLevel("ERROR");
  // A secret ARN in the developer's shell would send these messages to a real Slack.
  delete process.env[slackWebhookSecret.envVar];
  await receiver.start();
});
afterAll(async () => {
  await receiver.stop();
  if (savedWebhookUrl === undefined) delete process.env[slackWebhookSecret.localEnvVar];
  else process.env[slackWebhookSecret.localEnvVar] = savedWebhookUrl;
});

let loggedErrors: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  loggedErrors = vi.spyOn(logger, "error").mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** A notification of its own model, so markers never collide between tests or runs. */
function freshNotification(): Notification {
  const modelId = uniqueModelId("slack");
  return sampleNotification({ modelId, notificationId: `${modelId}~ZHJpZnQtc2hhcmU#1#firing` });
}

const sqsRecordOf = (notification: Notification | string) =>
  snsDelivery(notification, slackDeliveryQueue.localName);

/** The real handler, as Lambda invokes it, with the production retry policy. */
const invoke = (...records: SQSRecord[]) => invokeWithRecords(slackDeliveryQueue.handler, ...records);

describe("deliver-slack", () => {
  it("posts the Slack message once after a 429, waiting the Retry-After it gave", async () => {
    const notification = freshNotification();
    const webhook = receiver.webhook([
      { status: 429, headers: { "retry-after": "1" }, body: "rate_limited" },
      { status: 200, body: "ok" },
    ]);
    process.env[slackWebhookSecret.localEnvVar] = webhook.url;
    const started = Date.now();

    const response = await invoke(sqsRecordOf(notification));

    expect(response.batchItemFailures).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    const expected = JSON.parse(JSON.stringify(slackMessage(notification)));
    expect(webhook.posts()).toEqual([expected, expected]);
    expect(await wasDelivered(notification, SLACK_CHANNEL)).toBe(true);
  });

  it("delivers exactly once when the webhook fails twice with 503 and then takes the message", async () => {
    const notification = freshNotification();
    const webhook = receiver.webhook([{ status: 503 }, { status: 503 }, { status: 200, body: "ok" }]);
    process.env[slackWebhookSecret.localEnvVar] = webhook.url;
    const record = sqsRecordOf(notification);

    expect(await deliverToSlack([record], { policy: QUICK_POLICY })).toEqual([]);
    expect(webhook.posts()).toHaveLength(3);
    // SQS delivers at least once: the same message again is not posted again.
    expect(await deliverToSlack([record], { policy: QUICK_POLICY })).toEqual([]);
    expect(webhook.posts()).toHaveLength(3);
  });

  it("reports a record whose webhook keeps failing as a batch item failure, logged with its ids", async () => {
    const notification = freshNotification();
    const webhook = receiver.webhook([{ status: 503, body: "service unavailable" }]);
    process.env[slackWebhookSecret.localEnvVar] = webhook.url;
    const record = sqsRecordOf(notification);

    const failures = await deliverToSlack([record], { policy: QUICK_POLICY });

    expect(failures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(webhook.posts()).toHaveLength(1 + QUICK_POLICY.retries);
    expect(await wasDelivered(notification, SLACK_CHANNEL)).toBe(false);
    expect(loggedErrors).toHaveBeenCalledWith(
      "Slack delivery failed; SQS redelivers the message",
      expect.objectContaining({
        modelId: notification.modelId,
        alertId: notification.alertId,
        notificationId: notification.notificationId,
        messageId: record.messageId,
      }),
    );
  });

  it("does not retry a webhook Slack no longer knows (404), and reports it as a configuration problem", async () => {
    const notification = freshNotification();
    const webhook = receiver.webhook([{ status: 404, body: "no_service" }]);
    process.env[slackWebhookSecret.localEnvVar] = webhook.url;
    const record = sqsRecordOf(notification);

    const failures = await deliverToSlack([record], { policy: QUICK_POLICY });

    expect(failures).toEqual([{ itemIdentifier: record.messageId }]);
    expect(webhook.posts()).toHaveLength(1);
    const [message, context] = loggedErrors.mock.calls[0] ?? [];
    expect(message).toMatch(/configuration problem/);
    expect(context).toMatchObject({ notificationId: notification.notificationId });
    expect(String((context as { error: Error }).error.message)).toBe(
      `Slack answered 404: no_service to the Slack message ${notification.notificationId}`,
    );
  });

  it("does not post a notification already delivered", async () => {
    const notification = freshNotification();
    await markDelivered(notification, SLACK_CHANNEL, new Date());
    const webhook = receiver.webhook();
    process.env[slackWebhookSecret.localEnvVar] = webhook.url;

    const response = await invoke(sqsRecordOf(notification));

    expect(response.batchItemFailures).toEqual([]);
    expect(webhook.posts()).toEqual([]);
  });

  it("reports only the records that failed in a batch", async () => {
    const notification = freshNotification();
    const webhook = receiver.webhook();
    process.env[slackWebhookSecret.localEnvVar] = webhook.url;
    const unreadable = sqsRecordOf("{not json");

    const response = await invoke(sqsRecordOf(notification), unreadable);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: unreadable.messageId }]);
    expect(webhook.posts()).toHaveLength(1);
  });

  it("prints the message instead of posting it when no webhook is configured", async () => {
    const notification = freshNotification();
    delete process.env[slackWebhookSecret.localEnvVar];
    const printed: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((text) => {
      printed.push(String(text));
      return true;
    });

    const response = await invoke(sqsRecordOf(notification));

    expect(response.batchItemFailures).toEqual([]);
    expect(printed.join("")).toContain(slackMessageAsText(notification));
    expect(await wasDelivered(notification, SLACK_CHANNEL)).toBe(true);
  });
});
