import { format } from "#shared/drift/reason-text";
import type { Notification } from "#shared/schemas/alert";
import { type AlertMetric, alertMetricSchema } from "#shared/schemas/model-config";

/** SNS refuses a subject of 100 characters or more. */
export const MAX_SUBJECT_LENGTH = 99;
/** Where plain-text mail is wrapped by convention, so no mail client re-wraps it mid-line. */
const LINE_WIDTH = 72;
const LABEL_WIDTH = 14;

export interface EmailMessage {
  subject: string;
  body: string;
}

/** What each alert metric measures, for a reader who does not know the metric names. */
const METRIC_MEANINGS: Record<AlertMetric, string> = {
  "drift.share": "share of the features that drifted",
  "drift.maxPsi": "largest PSI of a feature",
  "prediction.psi": "PSI of the predictions",
  "performance.drop": "relative drop of the performance metric",
  "performance.estimatedAccuracy": "accuracy estimated without labels",
  "latency.p95": "95th-percentile latency",
  "latency.p99": "99th-percentile latency",
  errorRate: "share of the requests that failed",
  "volume.z": "z-score of the request volume",
  noData: "1 when the window had no data",
};

const METRIC_UNITS: Partial<Record<AlertMetric, string>> = { "latency.p95": " ms", "latency.p99": " ms" };

/**
 * The mail an alert notification becomes: a subject SNS accepts (under 100 characters, one line)
 * and a plain-text body wrapped at 72 columns, without markdown, that says what fired (or still
 * fires, or resolved), the value against its threshold, the window, the check's other metrics, the
 * most drifted features, the action taken, where to look and what to do next.
 *
 * @example
 * emailMessage(notification).subject; // "[DriftWatch] CRITICAL: churn drift.share 0.5 > 0.2"
 */
export function emailMessage(notification: Notification): EmailMessage {
  return { subject: subjectOf(notification), body: bodyOf(notification) };
}

function subjectOf(notification: Notification): string {
  const { kind, rule, value, severity } = notification;
  const status =
    kind === "resolved"
      ? "Resolved"
      : `${kind === "reminder" ? "Still firing, " : ""}${severity.toUpperCase()}`;
  const reading =
    kind === "resolved"
      ? value === null
        ? ""
        : ` ${valueText(rule.metric, value)} (threshold ${rule.op} ${format(rule.threshold)})`
      : ` ${valueText(rule.metric, value)} ${rule.op} ${format(rule.threshold)}`;
  const compose = (model: string, feature: string | undefined) =>
    `[DriftWatch] ${status}: ${model} ${rule.metric}${feature === undefined ? "" : ` of ${feature}`}${reading}`;
  // The feature name and the model id are the long parts (up to 128 and 64 characters): they give way first.
  let model = notification.modelId;
  let feature = notification.feature === undefined ? undefined : oneLine(notification.feature);
  const excess = () => compose(model, feature).length - MAX_SUBJECT_LENGTH;
  if (feature !== undefined && excess() > 0) feature = ellipsize(feature, feature.length - excess());
  if (excess() > 0) model = ellipsize(model, model.length - excess());
  return ellipsize(compose(model, feature), MAX_SUBJECT_LENGTH);
}

function bodyOf(notification: Notification): string {
  const sections = [
    [headlineOf(notification)],
    factsOf(notification),
    actionOf(notification),
    topFeaturesOf(notification),
    metricsOf(notification),
    linksOf(notification),
    nextStepsOf(notification),
    [`--\nDriftWatch notification ${notification.notificationId}`],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join("\n"))
    .join("\n\n")}\n`;
}

function headlineOf({ kind, severity, modelId, rule, feature, value }: Notification): string {
  const subject = `${rule.metric}${feature === undefined ? "" : ` of feature ${oneLine(feature)}`}`;
  const crossed = `${rule.op === ">" ? "above" : "below"} ${format(rule.threshold)}`;
  const headline =
    kind === "firing"
      ? `${severity.toUpperCase()} alert fired on model ${modelId}: ${subject} is ${crossed}.`
      : kind === "reminder"
        ? `Reminder: the ${severity} alert on model ${modelId} is still firing: ${subject} is ${crossed}.`
        : value === null
          ? `Resolved: the ${severity} alert on model ${modelId} is closed: its rule (${oneLine(rule.name)}) is no longer in the model's config.`
          : `Resolved: the ${severity} alert on model ${modelId} has cleared: ${subject} is no longer ${crossed}.`;
  return wrap(headline);
}

function factsOf(notification: Notification): string[] {
  const { rule, value, window, kind } = notification;
  const healthySide = rule.op === ">" ? "at or below" : "at or above";
  const checks = rule.for === 1 ? "1 check" : `${rule.for} consecutive checks`;
  return [
    field("Model", notification.modelId),
    field("Severity", notification.severity),
    field(
      "Rule",
      `${oneLine(rule.name)} (${rule.metric} ${rule.op} ${format(rule.threshold)} for ${checks})`,
    ),
    ...(notification.feature === undefined ? [] : [field("Feature", oneLine(notification.feature))]),
    field(
      "Value",
      value === null
        ? `none in this check (threshold ${rule.op} ${format(rule.threshold)})`
        : `${valueText(rule.metric, value)}, threshold ${rule.op} ${format(rule.threshold)} (${METRIC_MEANINGS[rule.metric]})`,
    ),
    field("Clears", `${healthySide} ${valueText(rule.metric, rule.resolveThreshold)}`),
    field("Window", `${timeText(window.from)} to ${timeText(window.to)}`),
    field("Checked", timeText(notification.checkedAt)),
    field(kind === "resolved" ? "Fired" : "Firing since", timeText(notification.firedAt)),
    ...(notification.resolvedAt === undefined ? [] : [field("Resolved", timeText(notification.resolvedAt))]),
    field("Alert id", notification.alertId),
  ];
}

function actionOf({ kind, action }: Notification): string[] {
  const taken =
    action === "notify"
      ? "None beyond this message."
      : kind !== "firing"
        ? `A ${action === "rollback" ? "rollback" : "retraining"} was requested when this alert fired; this message requests nothing new.`
        : action === "rollback"
          ? "Rollback requested: DriftWatch performs the model's rollback target (alerts.rollback), at most once per model per cooldown."
          : "Retraining requested: DriftWatch starts the retraining pipeline in the model's alerts.retrain.";
  return ["Action taken", wrap(taken, "  ")];
}

function topFeaturesOf({ topFeatures }: Notification): string[] {
  if (topFeatures.length === 0) return [];
  const width = Math.min(40, Math.max(...topFeatures.map((feature) => oneLine(feature.name).length)));
  return [
    "Most drifted features (PSI)",
    ...topFeatures.map(
      ({ name, score }) => `  ${ellipsize(oneLine(name), width).padEnd(width)}  ${format(score)}`,
    ),
  ];
}

function metricsOf({ metrics, rule }: Notification): string[] {
  const present = alertMetricSchema.options.filter((metric) => metric in metrics);
  if (present.length === 0) return [];
  const width = Math.max(...present.map((metric) => metric.length));
  return [
    "Alert metrics of this check",
    ...present.map((metric) => {
      const value = metrics[metric];
      const text = value === null || value === undefined ? "n/a" : valueText(metric, value);
      return `  ${metric.padEnd(width)}  ${text}${metric === rule.metric ? "  (this alert)" : ""}`.trimEnd();
    }),
  ];
}

// A link has a line of its own, unwrapped, so a mail client can make it clickable.
function linksOf({ links }: Notification): string[] {
  const lines = [
    ...(links.api === undefined ? [] : ["  The report through the API:", `    ${links.api}`]),
    ...(links.report === undefined ? [] : ["  The stored report:", `    ${links.report}`]),
  ];
  return lines.length === 0 ? [] : ["Where to look", ...lines];
}

function nextStepsOf(notification: Notification): string[] {
  const { kind, rule } = notification;
  if (kind === "resolved") {
    return [
      "What to do next",
      wrap(
        `Nothing is needed. If ${rule.metric} crosses ${format(rule.threshold)} again for ${rule.for === 1 ? "a check" : `${rule.for} consecutive checks`}, the alert fires anew.`,
        "  ",
      ),
    ];
  }
  const apiBase = apiBaseOf(notification.links.api);
  const ackPath = `/v1/alerts/${encodeURIComponent(notification.alertId)}/ack`;
  const report =
    notification.links.api !== undefined
      ? "Look at the report: GET the API link above with an admin token or one for this model."
      : notification.links.report !== undefined
        ? "Look at the stored report above."
        : `Look at the report: GET /v1/models/${notification.modelId}/drift.`;
  return [
    "What to do next",
    wrap(`1. ${report}`, "  ", "     "),
    wrap("2. Acknowledge the alert to stop the reminders until it resolves:", "  ", "     "),
    `     POST ${apiBase}${ackPath}`,
    ...(apiBase === ""
      ? []
      : [`     curl -X POST -H "Authorization: Bearer $TOKEN" \\\n       ${apiBase}${ackPath}`]),
    wrap(`3. ${reminderText(notification)}`, "  ", "     "),
  ];
}

function reminderText({ kind, cooldownSeconds, checkedAt }: Notification): string {
  if (cooldownSeconds === 0)
    return "Until it is acknowledged or resolves, every check reminds you (alerts.cooldownSeconds is 0).";
  const every = durationText(cooldownSeconds);
  if (kind === "firing")
    return `Until it is acknowledged or resolves, a reminder follows every ${every} (alerts.cooldownSeconds).`;
  const next = new Date(Date.parse(checkedAt) + cooldownSeconds * 1000).toISOString();
  return `The next reminder comes with the first check after ${timeText(next)} (every ${every}), unless the alert is acknowledged or resolves first.`;
}

/** The API's own URL in front of a link to one of its routes; empty when there is no link. */
function apiBaseOf(link: string | undefined): string {
  if (link === undefined) return "";
  const at = link.indexOf("/v1/");
  return at < 0 ? "" : link.slice(0, at);
}

function valueText(metric: AlertMetric, value: number | null): string {
  return value === null ? "no value" : `${format(value)}${METRIC_UNITS[metric] ?? ""}`;
}

/** "2026-12-01T10:00:04.000Z" as "2026-12-01 10:00:04 UTC"; anything else as it is. */
function timeText(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

function durationText(seconds: number): string {
  const units: [number, string][] = [
    [86_400, "day"],
    [3600, "hour"],
    [60, "minute"],
    [1, "second"],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, name] of units) {
    const count = Math.floor(rest / size);
    if (count === 0) continue;
    parts.push(`${count} ${name}${count === 1 ? "" : "s"}`);
    rest -= count * size;
  }
  return parts.slice(0, 2).join(" ");
}

/** A "Label:   value" line, the value wrapped under itself. */
function field(label: string, value: string): string {
  const head = `${label}:`.padEnd(LABEL_WIDTH);
  return wrap(value, head, " ".repeat(head.length));
}

/**
 * Greedy word wrap at 72 columns; a word longer than a line (a URL) keeps a line of its own rather
 * than being broken, so it stays clickable.
 */
function wrap(text: string, firstIndent = "", indent = firstIndent): string {
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (!empty && line.length + 1 + word.length > LINE_WIDTH) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines.join("\n");
}

/** Names come from configs and data: no line break or control character may reach a header. */
function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it removes
  return text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

function ellipsize(text: string, length: number): string {
  if (text.length <= length) return text;
  return `${text.slice(0, Math.max(1, length - 3))}...`;
}
