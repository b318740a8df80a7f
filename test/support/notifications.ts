import { alertIdOf, alertKeyOf } from "#shared/alerts/alert-ids";
import type { Alert, AlertState, EvaluatedRule, Notification } from "#shared/schemas/alert";
import type { AlertSeverity } from "#shared/schemas/model-config";

/** A critical rule, its defaults filled in: over 20% of the features drifting, two checks in a row. */
export const sampleRule: EvaluatedRule = {
  name: "drift-share",
  metric: "drift.share",
  op: ">",
  threshold: 0.2,
  resolveThreshold: 0.18,
  severity: "critical",
  for: 2,
  action: "rollback",
};

/**
 * An alert of `modelId` as the store keeps it after one check: its rule the sample rule named `name`,
 * firing on a single breach and only notifying.
 */
export function sampleAlert(
  modelId: string,
  name: string,
  state: AlertState,
  severity: AlertSeverity = "warning",
): Alert {
  const alertKey = alertKeyOf(name);
  return {
    alertId: alertIdOf(modelId, alertKey),
    modelId,
    alertKey,
    rule: { ...sampleRule, name, severity, for: 1, action: "notify" },
    state,
    breaches: 1,
    value: 0.5,
    episode: state === "pending" ? 0 : 1,
    lastCheckId: "2026-12-01T10:00:00.000Z#scheduled",
    lastWindowTo: "2026-12-01T10:00:00.000Z",
    updatedAt: "2026-12-01T10:00:01.000Z",
    version: 0,
  };
}

/** A notification as the alert evaluation publishes it: the sample rule's alert that fired. */
export function sampleNotification(overrides: Partial<Notification> = {}): Notification {
  return {
    notificationId: "churn~ZHJpZnQtc2hhcmU#1#firing",
    kind: "firing",
    alertId: "churn~ZHJpZnQtc2hhcmU",
    episode: 1,
    modelId: "churn",
    rule: { ...sampleRule },
    severity: "critical",
    action: "rollback",
    value: 0.5,
    checkId: "2026-12-01T10:00:00.000Z#scheduled",
    window: { from: "2026-12-01T09:00:00.000Z", to: "2026-12-01T10:00:00.000Z" },
    checkedAt: "2026-12-01T10:00:04.000Z",
    firedAt: "2026-12-01T10:00:04.000Z",
    metrics: {
      "drift.share": 0.5,
      "drift.maxPsi": 0.41,
      "prediction.psi": 0.12,
      "performance.drop": null,
      "performance.estimatedAccuracy": 0.81,
      "latency.p95": 84,
      "latency.p99": 130,
      errorRate: 0.01,
      "volume.z": 0.4,
      noData: 0,
    },
    topFeatures: [
      { name: "tenure", score: 0.41 },
      { name: "plan", score: 0.27 },
    ],
    links: {
      report: "s3://driftwatch-data/reports/model=churn/drift/2026-12-01T10:00:00.000Z.json",
      api: "http://127.0.0.1:3000/v1/models/churn/drift?from=2026-12-01T10:00:00.000Z&to=2026-12-01T10:00:00.000Z",
    },
    cooldownSeconds: 3600,
    ...overrides,
  };
}
