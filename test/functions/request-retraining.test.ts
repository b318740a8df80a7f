import { createServer } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditTrail } from "#shared/alerts/action-audit";
import { EVENT_BUS_ENV_VAR } from "#shared/alerts/retraining";
import { retrainQueue } from "#shared/aws/resources";
import type { Notification } from "#shared/schemas/alert";
import { createModel, useAlertActionHarness } from "../support/alert-actions.ts";
import { invokeWithRecords, snsDelivery } from "../support/alert-deliveries.ts";
import { type LoopbackServer, listenOnLoopback, requestBody } from "../support/loopback-server.ts";
import { sampleNotification, sampleRule } from "../support/notifications.ts";

const BUS = "arn:aws:events:us-east-1:000000000000:event-bus/default";

/**
 * EventBridge's PutEvents on 127.0.0.1 (no emulator has it): keeps each request's entries and
 * answers the next of `results` (then success), `failed` standing for an entry EventBridge did not take.
 */
const eventBridge = {
  requests: [] as { target: string; entries: Record<string, string>[] }[],
  results: [] as ("ok" | "failed")[],
  server: createServer(async (request, response) => {
    const body = JSON.parse(await requestBody(request));
    eventBridge.requests.push({ target: String(request.headers["x-amz-target"]), entries: body.Entries });
    const entry =
      eventBridge.results.shift() === "failed"
        ? { ErrorCode: "InternalFailure", ErrorMessage: "try again" }
        : { EventId: `event-${eventBridge.requests.length}` };
    response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    response.end(JSON.stringify({ FailedEntryCount: entry.ErrorCode ? 1 : 0, Entries: [entry] }));
  }),
};

const harness = useAlertActionHarness(EVENT_BUS_ENV_VAR);
const { webhook } = harness;
let eventBridgeEndpoint: LoopbackServer;

beforeAll(async () => {
  eventBridgeEndpoint = await listenOnLoopback(eventBridge.server);
  // Read when the handler first builds its EventBridge client, which no test has done yet.
  process.env.AWS_ENDPOINT_URL_EVENTBRIDGE = eventBridgeEndpoint.url;
});
beforeEach(() => {
  delete process.env[EVENT_BUS_ENV_VAR];
  eventBridge.requests.length = 0;
  eventBridge.results.length = 0;
});
afterAll(async () => {
  await eventBridgeEndpoint?.close();
});

function firing(modelId: string): Notification {
  const alertId = `${modelId}~drift-share`;
  return sampleNotification({
    modelId,
    alertId,
    notificationId: `${alertId}#1#firing`,
    action: "retrain",
    rule: { ...sampleRule, action: "retrain" },
  });
}

const deliver = (notification: Notification) =>
  invokeWithRecords(retrainQueue.handler, snsDelivery(notification, retrainQueue.localName));

describe("request-retraining", () => {
  it("posts the retraining webhook once per alert episode, even when the message is delivered twice", async () => {
    const hook = webhook("retrain-once");
    const modelId = await createModel("retrain-once", { retrain: { webhook: hook.url } });
    const notification = firing(modelId);

    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });
    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });

    expect(hook.posts()).toHaveLength(1);
    expect(hook.posts()[0]?.body).toMatchObject({
      action: "retrain",
      modelId,
      alertId: notification.alertId,
      rule: "drift-share",
      value: 0.5,
      reason: "drift.share 0.5 > 0.2 (rule drift-share)",
    });
    expect(hook.posts()[0]?.headers["idempotency-key"]).toBe(`retrain#${notification.alertId}#1`);
    expect(eventBridge.requests).toEqual([]);
    expect(await auditTrail(modelId, "retrain")).toEqual([
      expect.objectContaining({
        target: { webhook: harness.receiver.url },
        outcome: "done",
        detail: `the retraining webhook at ${harness.receiver.url} accepted it (200)`,
      }),
    ]);
  });

  it("puts a Retraining requested event on the deployment's bus, once", async () => {
    process.env[EVENT_BUS_ENV_VAR] = BUS;
    const modelId = await createModel("retrain-event", {});
    const notification = firing(modelId);

    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });
    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });

    expect(eventBridge.requests).toHaveLength(1);
    const [request] = eventBridge.requests;
    expect(request?.target).toBe("AWSEvents.PutEvents");
    expect(request?.entries).toEqual([
      {
        EventBusName: BUS,
        Source: "driftwatch",
        DetailType: "Retraining requested",
        Detail: expect.any(String),
      },
    ]);
    expect(JSON.parse(request?.entries[0]?.Detail ?? "")).toMatchObject({
      modelId,
      alertId: notification.alertId,
      reason: "drift.share 0.5 > 0.2 (rule drift-share)",
    });
    expect(await auditTrail(modelId, "retrain")).toEqual([
      expect.objectContaining({
        target: { eventBus: BUS },
        outcome: "done",
        detail: `event event-1 put on bus ${BUS}`,
      }),
    ]);
  });

  it("retries an event the bus did not take on the redelivery, without posting the webhook again", async () => {
    process.env[EVENT_BUS_ENV_VAR] = BUS;
    eventBridge.results.push("failed");
    const hook = webhook("retrain-partial");
    const modelId = await createModel("retrain-partial", { retrain: { webhook: hook.url } });
    const record = snsDelivery(firing(modelId), retrainQueue.localName);

    expect(await invokeWithRecords(retrainQueue.handler, record)).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(harness.loggedErrors).toHaveBeenCalledWith(
      "Retraining request failed; SQS redelivers the message",
      expect.objectContaining({ messageId: record.messageId, modelId }),
    );
    expect(await invokeWithRecords(retrainQueue.handler, record)).toEqual({ batchItemFailures: [] });

    expect(hook.posts()).toHaveLength(1);
    expect(eventBridge.requests).toHaveLength(2);
    const audits = await auditTrail(modelId, "retrain");
    expect(audits.map((audit) => [audit.outcome, audit.detail])).toEqual([
      [
        "failed",
        `the retraining webhook at ${harness.receiver.url} accepted it (200); event bus ${BUS} did not take the event: InternalFailure try again; to be retried on the message's redelivery`,
      ],
      [
        "done",
        `the retraining webhook at ${harness.receiver.url} was told on an earlier attempt; event event-2 put on bus ${BUS}`,
      ],
    ]);
  });

  it("warns and audits a skip when there is neither a webhook nor an event bus", async () => {
    const modelId = await createModel("retrain-nobody", {});

    expect(await deliver(firing(modelId))).toEqual({ batchItemFailures: [] });

    expect(await auditTrail(modelId, "retrain")).toEqual([
      expect.objectContaining({
        target: {},
        outcome: "skipped",
        detail:
          "nobody to ask: the model's config has no alerts.retrain.webhook and DRIFTWATCH_EVENT_BUS is not set",
      }),
    ]);
    expect(harness.loggedWarnings).toHaveBeenCalledWith(
      "Retraining not requested: nobody to ask",
      expect.objectContaining({ modelId }),
    );
  });
});
