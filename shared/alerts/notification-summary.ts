import type { Notification } from "#shared/schemas/alert";

/**
 * Why an alert fired, in one line: `drift.share 0.5 > 0.2 (rule drift-share)`, with the feature of a
 * per-feature rule: `drift.maxPsi of tenure 0.41 > 0.25 (rule psi)`.
 */
export function reasonOf(notification: Notification): string {
  const { rule, feature, value } = notification;
  const metric = feature ? `${rule.metric} of ${feature}` : rule.metric;
  return `${metric} ${value ?? "no value"} ${rule.op} ${rule.threshold} (rule ${rule.name})`;
}

/**
 * What an alert action tells the outside world about the alert that started it (a rollback or
 * retraining webhook, an EventBridge event): the alert, the rule, the value and where to look.
 */
export function notificationSummary(notification: Notification) {
  return {
    modelId: notification.modelId,
    alertId: notification.alertId,
    episode: notification.episode,
    notificationId: notification.notificationId,
    rule: notification.rule.name,
    metric: notification.rule.metric,
    ...(notification.feature ? { feature: notification.feature } : {}),
    op: notification.rule.op,
    threshold: notification.rule.threshold,
    value: notification.value,
    severity: notification.severity,
    reason: reasonOf(notification),
    checkId: notification.checkId,
    window: notification.window,
    firedAt: notification.firedAt,
    topFeatures: notification.topFeatures,
    links: notification.links,
  };
}
