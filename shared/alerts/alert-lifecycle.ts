import type {
  Alert,
  EvaluatedRule,
  FeatureScore,
  Notification,
  NotificationKind,
} from "#shared/schemas/alert";
import type { CheckWindow } from "#shared/schemas/check-window";
import type { AlertAction, AlertMetric } from "#shared/schemas/model-config";
import { alertIdOf, alertKeyOf } from "./alert-ids.ts";
import { breaches, clears } from "./alert-rules.ts";

/** One rule's reading of one check: the value of its metric, for one feature where the rule is per feature. */
export interface Observation {
  rule: EvaluatedRule;
  feature?: string;
  /** Null when the check could not compute the metric: the alert then stays as it is. */
  value: number | null;
}

/** The check being evaluated, and what its notifications carry beside the alert itself. */
export interface EvaluationContext {
  modelId: string;
  checkId: string;
  window: CheckWindow;
  checkedAt: string;
  now: Date;
  cooldownSeconds: number;
  /** While the model's `noData` alert fires, its data alerts neither change nor notify. */
  inhibited: boolean;
  /** What the alert does beyond notifying. */
  action: AlertAction;
  metrics: Record<AlertMetric, number | null>;
  topFeatures: FeatureScore[];
  links: Notification["links"];
}

/** An alert after a check, and the notifications the change calls for. */
export interface AlertChange {
  alert: Alert;
  notifications: Notification[];
}

/**
 * Moves one alert through its lifecycle for one check. A rule fires after `for` consecutive breaching
 * checks of successive windows; a firing alert reminds once per cooldown and resolves only once the
 * value is back past `resolveThreshold` (hysteresis); an acknowledged one stays silent until it
 * resolves. A check already applied, a value the check could not compute, an inhibited rule and a
 * rule that never breached change nothing (undefined: no write).
 */
export function advanceAlert(
  previous: Alert | undefined,
  observation: Observation,
  context: EvaluationContext,
): AlertChange | undefined {
  const { rule, feature, value } = observation;
  if (previous?.lastCheckId === context.checkId) return undefined;
  if (context.inhibited || value === null) return undefined;
  const breaching = breaches(rule, value);
  if (!previous && !breaching) return undefined;

  const now = context.now.toISOString();
  const alertKey = alertKeyOf(rule.name, feature);
  const base: Alert = previous ?? {
    alertId: alertIdOf(context.modelId, alertKey),
    modelId: context.modelId,
    alertKey,
    rule,
    ...(feature === undefined ? {} : { feature }),
    state: "pending",
    breaches: 0,
    value,
    episode: 0,
    lastCheckId: context.checkId,
    lastWindowTo: context.window.to,
    updatedAt: now,
    version: 0,
  };
  // A second check of a window already seen (a manual re-run) does not lengthen the streak.
  const laterWindow = !previous || context.window.to > previous.lastWindowTo;
  const streak = breaching ? (laterWindow ? base.breaches + 1 : Math.max(base.breaches, 1)) : 0;
  const next: Alert = {
    ...base,
    rule,
    value,
    breaches: streak,
    lastCheckId: context.checkId,
    lastWindowTo: laterWindow ? context.window.to : base.lastWindowTo,
    updatedAt: now,
  };
  const open = base.state === "firing" || base.state === "acknowledged";

  if (!open) {
    if (streak < rule.for) return { alert: next, notifications: [] };
    const { resolvedAt: _r, acknowledgedAt: _a, acknowledgedBy: _b, ...fired } = next;
    const alert: Alert = {
      ...fired,
      state: "firing",
      episode: base.episode + 1,
      firedAt: now,
      lastNotifiedAt: now,
    };
    return { alert, notifications: [notificationOf(alert, "firing", context)] };
  }
  if (clears(rule, value)) {
    const alert: Alert = { ...next, state: "resolved", resolvedAt: now };
    return { alert, notifications: [notificationOf(alert, "resolved", context)] };
  }
  const remindAt = Date.parse(base.lastNotifiedAt ?? base.firedAt ?? now) + context.cooldownSeconds * 1000;
  if (base.state === "firing" && context.now.getTime() >= remindAt) {
    const alert: Alert = { ...next, lastNotifiedAt: now };
    return { alert, notifications: [notificationOf(alert, "reminder", context)] };
  }
  return { alert: next, notifications: [] };
}

/**
 * Resolves an open alert whose rule the model no longer has (removed or renamed), so it cannot fire
 * forever; undefined for one that is not open.
 */
export function retireAlert(previous: Alert, context: EvaluationContext): AlertChange | undefined {
  if (previous.state !== "firing" && previous.state !== "acknowledged") return undefined;
  const now = context.now.toISOString();
  const alert: Alert = {
    ...previous,
    state: "resolved",
    resolvedAt: now,
    value: null,
    lastCheckId: context.checkId,
    updatedAt: now,
  };
  return { alert, notifications: [notificationOf(alert, "resolved", context)] };
}

function notificationOf(alert: Alert, kind: NotificationKind, context: EvaluationContext): Notification {
  // A reminder is told apart by when it was sent: each one is a message of its own.
  const sequence = kind === "reminder" ? `#${context.checkedAt}` : "";
  return {
    notificationId: `${alert.alertId}#${alert.episode}#${kind}${sequence}`,
    kind,
    alertId: alert.alertId,
    episode: Math.max(alert.episode, 1),
    modelId: alert.modelId,
    rule: alert.rule,
    ...(alert.feature === undefined ? {} : { feature: alert.feature }),
    severity: alert.rule.severity,
    action: context.action,
    value: alert.value,
    checkId: context.checkId,
    window: context.window,
    checkedAt: context.checkedAt,
    firedAt: alert.firedAt ?? context.checkedAt,
    ...(alert.resolvedAt ? { resolvedAt: alert.resolvedAt } : {}),
    metrics: context.metrics,
    topFeatures: context.topFeatures,
    links: context.links,
    cooldownSeconds: context.cooldownSeconds,
  };
}
