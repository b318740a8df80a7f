import { API_URL_ENV_VAR, dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { logger } from "#shared/observability";
import type { Alert, EvaluatedRule, FeatureScore, Notification } from "#shared/schemas/alert";
import type { CheckResult } from "#shared/schemas/check-result";
import type { AlertAction, ModelConfig } from "#shared/schemas/model-config";
import {
  AlertConflictError,
  findAlert,
  modelAlerts,
  removeFromOutbox,
  saveAlert,
} from "#shared/storage/alert-store";
import { alertKeyOf } from "./alert-ids.ts";
import {
  type AlertChange,
  advanceAlert,
  type EvaluationContext,
  type Observation,
  retireAlert,
} from "./alert-lifecycle.ts";
import { isInhibitedByNoData, rulesOf } from "./alert-rules.ts";
import { publishNotification } from "./publish-notification.ts";

/** Attempts at one alert's write when concurrent checks keep changing it first. */
const WRITE_ATTEMPTS = 5;
/** Drifted features a notification names. */
const TOP_FEATURES = 5;
/**
 * A notification left in an outbox this long was abandoned by its writer (which failed between the
 * write and the publish), and the next check publishes it; a younger one its writer is publishing.
 */
const ABANDONED_OUTBOX_MS = 5 * 60_000;

/** What one check did to a model's alerts: every notification it published, in order. */
export interface AlertEvaluation {
  notifications: Notification[];
}

/**
 * Turns a check's metrics into alerts: each rule of the model (or the defaults) moves its alerts
 * through their lifecycle, `noData` first since it inhibits the data rules; every write is
 * conditional on the version read, so concurrent checks decide once; the notifications a write
 * decided on are kept in the alert's outbox until published, and a retried check publishes what an
 * earlier attempt could not. `info` rules log and never notify.
 */
export async function evaluateAlerts(
  check: CheckResult,
  config: ModelConfig,
  now: Date,
): Promise<AlertEvaluation> {
  const rules = rulesOf(config);
  const existing = await modelAlerts(check.modelId);
  const published: Notification[] = [];
  const base = {
    modelId: check.modelId,
    checkId: check.checkId,
    window: check.window,
    checkedAt: check.checkedAt,
    now,
    cooldownSeconds: config.alerts.cooldownSeconds,
    metrics: check.metrics,
    topFeatures: topFeaturesOf(check),
  };
  const contextFor = (rule: EvaluatedRule, inhibited: boolean): EvaluationContext => ({
    ...base,
    inhibited: inhibited && isInhibitedByNoData(rule),
    action: actionOf(rule, config),
    links: linksOf(rule, check),
  });

  const noDataFirst = [...rules].sort(
    (a, b) => Number(b.metric === "noData") - Number(a.metric === "noData"),
  );
  const settled: Alert[] = [];
  for (const rule of noDataFirst) {
    const inhibited = settled.some(
      (alert) =>
        alert.rule.metric === "noData" && (alert.state === "firing" || alert.state === "acknowledged"),
    );
    for (const observation of observationsOf(rule, check, existing)) {
      const key = alertKeyOf(rule.name, observation.feature);
      const alert = await settle(
        existing.find((candidate) => candidate.alertKey === key),
        (previous) => advanceAlert(previous, observation, contextFor(rule, inhibited)),
        check,
        now,
        published,
      );
      if (alert) settled.push(alert);
    }
  }
  const ruleNames = new Set(rules.map((rule) => rule.name));
  for (const orphan of existing.filter((alert) => !ruleNames.has(alert.rule.name))) {
    await settle(
      orphan,
      (previous) => previous && retireAlert(previous, contextFor(previous.rule, false)),
      check,
      now,
      published,
    );
  }
  return { notifications: published };
}

/**
 * Applies one alert's change, rereading and deciding again after a concurrent write, then publishes
 * what its outbox holds for this check (and what an abandoned write left there). Returns the alert
 * as it stands.
 */
async function settle(
  read: Alert | undefined,
  decide: (previous: Alert | undefined) => AlertChange | undefined,
  check: CheckResult,
  now: Date,
  published: Notification[],
): Promise<Alert | undefined> {
  let previous = read;
  for (let attempt = 1; ; attempt++) {
    const change = decide(previous);
    if (!change) {
      if (previous) await flushOutbox(previous, check, now, published);
      return previous;
    }
    const notifying = change.notifications.filter((notification) => notification.severity !== "info");
    for (const notification of change.notifications.filter((n) => n.severity === "info")) {
      logger.info("Alert (info: logged, not notified)", { notification });
    }
    const outbox = {
      ...previous?.outbox,
      ...Object.fromEntries(notifying.map((notification) => [notification.notificationId, notification])),
    };
    try {
      const saved = await saveAlert({
        ...change.alert,
        ...(Object.keys(outbox).length > 0 ? { outbox } : { outbox: undefined }),
      });
      await flushOutbox(saved, check, now, published);
      return saved;
    } catch (error) {
      if (!(error instanceof AlertConflictError) || attempt === WRITE_ATTEMPTS) throw error;
      previous = await findAlert(change.alert.modelId, change.alert.alertKey);
    }
  }
}

/** Publishes the outbox entries that are this check's to publish, then takes them out. */
async function flushOutbox(alert: Alert, check: CheckResult, now: Date, published: Notification[]) {
  const due = Object.values(alert.outbox ?? {}).filter(
    (notification) =>
      notification.checkId === check.checkId ||
      now.getTime() - Date.parse(notification.checkedAt) >= ABANDONED_OUTBOX_MS,
  );
  for (const notification of due) {
    await publishNotification(notification);
    published.push(notification);
    logger.info("Alert notification published", {
      alertId: notification.alertId,
      kind: notification.kind,
      severity: notification.severity,
      action: notification.action,
    });
  }
  await removeFromOutbox(
    alert,
    due.map((notification) => notification.notificationId),
  );
}

/**
 * What a rule reads from a check. `drift.maxPsi` is read per feature, so each drifting feature is an
 * alert of its own that resolves on its own; a feature without a score this time (the check could
 * not compare it) keeps its alert as it is.
 */
function observationsOf(rule: EvaluatedRule, check: CheckResult, existing: Alert[]): Observation[] {
  if (rule.metric !== "drift.maxPsi") return [{ rule, value: check.metrics[rule.metric] ?? null }];
  const scores = check.drift.featureScores ?? {};
  const seen = Object.entries(scores).map(([feature, value]) => ({ rule, feature, value }));
  const unseen = existing
    .filter(
      (alert) => alert.rule.name === rule.name && alert.feature !== undefined && !(alert.feature in scores),
    )
    .map((alert) => ({ rule, feature: alert.feature, value: null }));
  return [...seen, ...unseen];
}

/** An emergency also performs the model's rollback, when it has one, whatever its action says. */
function actionOf(rule: EvaluatedRule, config: ModelConfig): AlertAction {
  return rule.severity === "emergency" && rule.action === "notify" && config.alerts.rollback
    ? "rollback"
    : rule.action;
}

function topFeaturesOf(check: CheckResult): FeatureScore[] {
  const scores = check.drift.featureScores ?? {};
  return (check.drift.driftedFeatures ?? [])
    .map((name) => ({ name, score: scores[name] ?? Number.NaN }))
    .filter((feature) => Number.isFinite(feature.score))
    .sort((a, b) => b.score - a.score)
    .slice(0, TOP_FEATURES);
}

/** The report and route behind a rule's metric: drift, performance, or latency and traffic. */
function linksOf(rule: EvaluatedRule, check: CheckResult): Notification["links"] {
  const family = /^(drift|prediction)\./.test(rule.metric)
    ? "drift"
    : rule.metric.startsWith("performance.")
      ? "performance"
      : "latency";
  const reportKey =
    family === "drift"
      ? check.drift.reportKey
      : family === "performance"
        ? check.performance?.reportKey
        : undefined;
  const apiUrl = process.env[API_URL_ENV_VAR];
  const query = family === "latency" ? "" : `?from=${check.window.to}&to=${check.window.to}`;
  return {
    ...(reportKey ? { report: `s3://${bucketName(dataBucket)}/${reportKey}` } : {}),
    ...(apiUrl ? { api: `${apiUrl.replace(/\/$/, "")}/v1/models/${check.modelId}/${family}${query}` } : {}),
  };
}
