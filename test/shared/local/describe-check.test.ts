import { describe, expect, it } from "vitest";
import { describeCheck, describeDeadLetter } from "#shared/local/describe-check";
import { sampleNotification } from "../../support/notifications.ts";

const scheduledTime = new Date("2026-12-01T13:00:00.000Z");

describe("describeCheck", () => {
  it("names the drifted features and a performance drop", () => {
    const line = describeCheck({
      modelId: "churn",
      scheduledTime,
      outcome: {
        checkId: "2026-12-01T13:00:00.000Z#scheduled",
        rows: 600,
        drift: { status: "ok", driftedFeatures: ["tenure", "plan"], share: 0.5 },
        performance: { status: "ok", dropped: true, drop: 0.125 },
      },
    });
    expect(line).toBe(
      "check churn at 2026-12-01T13:00:00.000Z: 600 rows, 2 features drifted: tenure, plan, performance dropped 12.5% (GET /v1/models/churn/drift)",
    );
  });

  it("adds a line per alert notification, with the route that acknowledges a firing one", () => {
    const text = describeCheck({
      modelId: "churn",
      scheduledTime,
      outcome: {
        checkId: "x",
        rows: 600,
        drift: { status: "ok", driftedFeatures: ["tenure"], share: 0.5 },
        alerts: [
          { alertId: "churn~a", kind: "firing", severity: "critical", rule: "drift-share", value: 0.5 },
          {
            alertId: "churn~b",
            kind: "resolved",
            severity: "warning",
            rule: "psi",
            feature: "plan",
            value: 0.01,
          },
        ],
      },
    });
    expect(text.split("\n").slice(1)).toEqual([
      "  alert FIRING critical drift-share = 0.5 (POST /v1/alerts/churn~a/ack)",
      "  alert RESOLVED warning psi (plan) = 0.01",
    ]);
  });

  it("names the alert of a dead-lettered delivery, or shows the raw message", () => {
    const notification = sampleNotification();
    const body = JSON.stringify({ Type: "Notification", Message: JSON.stringify(notification) });
    expect(describeDeadLetter(body)).toBe(`firing critical drift-share of churn (${notification.alertId})`);
    expect(describeDeadLetter("not json")).toBe("not json");
  });

  it("says why there is no verdict", () => {
    const line = describeCheck({
      modelId: "churn",
      scheduledTime,
      outcome: {
        checkId: "x",
        rows: 0,
        drift: { status: "no-baseline" },
        performance: { status: "no-labels" },
      },
    });
    expect(line).toContain("0 rows, drift no-baseline, performance no-labels");
  });

  it("reports a check that failed for good, and where it went", () => {
    const line = describeCheck({ modelId: "churn", scheduledTime, error: new Error("window is invalid") });
    expect(line).toBe(
      "check churn at 2026-12-01T13:00:00.000Z FAILED after retries (sent to the check dead-letter queue): window is invalid",
    );
  });
});
