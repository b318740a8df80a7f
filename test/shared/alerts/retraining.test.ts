import { describe, expect, it } from "vitest";
import { retrainingEvent } from "#shared/alerts/retraining";
import { sampleNotification } from "../../support/notifications.ts";

describe("retrainingEvent", () => {
  it("puts a driftwatch event on the bus whose detail summarises the alert", () => {
    const notification = sampleNotification({ action: "retrain" });
    const entry = retrainingEvent(notification, "arn:aws:events:eu-west-1:123456789012:event-bus/default");
    expect(entry).toMatchObject({
      EventBusName: "arn:aws:events:eu-west-1:123456789012:event-bus/default",
      Source: "driftwatch",
      DetailType: "Retraining requested",
    });
    expect(JSON.parse(entry.Detail as string)).toEqual({
      modelId: "churn",
      alertId: notification.alertId,
      episode: 1,
      notificationId: notification.notificationId,
      rule: "drift-share",
      metric: "drift.share",
      op: ">",
      threshold: 0.2,
      value: 0.5,
      severity: "critical",
      reason: "drift.share 0.5 > 0.2 (rule drift-share)",
      checkId: notification.checkId,
      window: notification.window,
      firedAt: notification.firedAt,
      topFeatures: notification.topFeatures,
      links: notification.links,
    });
  });

  it("names the feature of a per-feature rule in the reason", () => {
    const notification = sampleNotification({
      feature: "tenure",
      value: 0.41,
      rule: { ...sampleNotification().rule, name: "psi", metric: "drift.maxPsi", threshold: 0.25 },
    });
    const detail = JSON.parse(retrainingEvent(notification, "default").Detail as string);
    expect(detail).toMatchObject({
      feature: "tenure",
      reason: "drift.maxPsi of tenure 0.41 > 0.25 (rule psi)",
    });
  });
});
