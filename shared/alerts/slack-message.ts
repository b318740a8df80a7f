import { format } from "#shared/drift/reason-text";
import type { Notification } from "#shared/schemas/alert";
import type { AlertMetric, AlertSeverity } from "#shared/schemas/model-config";

/** Slack's limits on Block Kit text (https://api.slack.com/reference/block-kit/blocks). */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
/** Features listed; the report has the rest. */
const TOP_FEATURES_SHOWN = 5;

const SEVERITY_COLOURS: Record<AlertSeverity, string> = {
  info: "#9e9e9e",
  warning: "#f2a900",
  critical: "#e01e5a",
  emergency: "#8b0000",
};
const RESOLVED_COLOUR = "#2eb67d";

const SEVERITY_EMOJI: Record<AlertSeverity, string> = {
  info: ":information_source:",
  warning: ":warning:",
  critical: ":red_circle:",
  emergency: ":rotating_light:",
};

interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}

interface Markdown {
  type: "mrkdwn";
  text: string;
}

export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text?: Markdown; fields?: Markdown[] }
  | { type: "context"; elements: Markdown[] };

/** The JSON body of a Slack incoming-webhook post. */
export interface SlackMessage {
  /** What notifications and clients without Block Kit show. */
  text: string;
  blocks: SlackBlock[];
  /** One attachment, for the coloured bar beside the details. */
  attachments: [{ color: string; blocks: SlackBlock[] }];
}

/**
 * The Slack incoming-webhook payload for a notification: the headline above a bar in the severity's
 * colour (green once resolved) beside the model, severity, value against threshold, window, top
 * drifted features, the action taken, where to look and what to do next.
 *
 * @example
 * await fetch(webhookUrl, { method: "POST", body: JSON.stringify(slackMessage(notification)) });
 */
export function slackMessage(notification: Notification): SlackMessage {
  const facts = factsOf(notification);
  const section = (text: string): SlackBlock => ({
    type: "section",
    text: { type: "mrkdwn", text: truncate(text, SECTION_MAX) },
  });
  const details: SlackBlock[] = [
    {
      type: "section",
      fields: facts.fields.map(([label, value]) => ({
        type: "mrkdwn",
        text: truncate(`*${escapeMarkdown(label)}*\n${escapeMarkdown(value)}`, FIELD_MAX),
      })),
    },
  ];
  if (facts.features.length > 0) {
    details.push(
      section(
        [
          "*Top drifted features (PSI)*",
          ...facts.features.map(
            (feature) => `• \`${escapeMarkdown(feature.name)}\` ${format(feature.score)}`,
          ),
        ].join("\n"),
      ),
    );
  }
  if (facts.action) details.push(section(`*Action*\n${escapeMarkdown(facts.action)}`));
  if (facts.links.length > 0) {
    details.push({
      type: "context",
      elements: facts.links.map((link) => ({
        type: "mrkdwn",
        text: truncate(markdownLink(link), FIELD_MAX),
      })),
    });
  }
  details.push(section(`*Next*\n${escapeMarkdown(facts.next)}`));
  return {
    text: facts.summary,
    blocks: [
      {
        type: "header",
        text: {
          type: "plain_text",
          text: truncate(`${facts.emoji} ${facts.headline}`, HEADER_MAX),
          emoji: true,
        },
      },
    ],
    attachments: [{ color: facts.colour, blocks: details }],
  };
}

/**
 * The same message as plain text, for a console: what `npm start` shows when no Slack webhook is set.
 *
 * @example
 * process.stdout.write(`${slackMessageAsText(notification)}\n`);
 */
export function slackMessageAsText(notification: Notification): string {
  const facts = factsOf(notification);
  const rows: [label: string, value: string][] = [...facts.fields];
  if (facts.features.length > 0) {
    const features = facts.features.map((feature) => `${feature.name} ${format(feature.score)}`);
    rows.push(["Top drifted (PSI)", features.join(", ")]);
  }
  if (facts.action) rows.push(["Action", facts.action]);
  for (const link of facts.links) rows.push([link.label, link.shown]);
  rows.push(["Next", facts.next]);
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  return [facts.headline, ...rows.map(([label, value]) => `  ${label.padEnd(labelWidth)}  ${value}`)].join(
    "\n",
  );
}

interface Link {
  label: string;
  target: string;
  /** How the link reads. */
  shown: string;
}

/** What a message says, before it is rendered for Slack or a console. */
interface MessageFacts {
  headline: string;
  summary: string;
  emoji: string;
  colour: string;
  fields: [label: string, value: string][];
  features: Notification["topFeatures"];
  action?: string;
  links: Link[];
  next: string;
}

function factsOf(notification: Notification): MessageFacts {
  const { rule, kind, severity } = notification;
  const subject = notification.feature ? `${rule.metric} (${notification.feature})` : rule.metric;
  const headline = {
    firing: `${capitalize(severity)} alert: ${subject} on ${notification.modelId}`,
    reminder: `Reminder: ${severity} alert still firing: ${subject} on ${notification.modelId}`,
    resolved: `Resolved: ${subject} on ${notification.modelId}`,
  }[kind];
  const value = valueText(notification);
  const links: Link[] = [];
  const { api, report } = notification.links;
  if (api) links.push({ label: "API", target: api, shown: `GET ${api}` });
  if (report) links.push({ label: "Report", target: report, shown: report });
  return {
    headline,
    summary: `${headline}: ${value}`,
    emoji: kind === "resolved" ? ":white_check_mark:" : SEVERITY_EMOJI[severity],
    colour: kind === "resolved" ? RESOLVED_COLOUR : SEVERITY_COLOURS[severity],
    fields: [
      ["Model", notification.modelId],
      ["Severity", severity],
      ["Value", value],
      ["Window", windowText(notification.window)],
      ["Rule", rule.for === 1 ? rule.name : `${rule.name}, after ${rule.for} breaching checks in a row`],
      kind === "resolved" && notification.resolvedAt
        ? ["Resolved", `${utc(notification.resolvedAt)} (fired ${utc(notification.firedAt)})`]
        : ["Fired", utc(notification.firedAt)],
    ],
    features: notification.topFeatures.slice(0, TOP_FEATURES_SHOWN),
    action: actionText(notification),
    links,
    next: nextStep(notification),
  };
}

/** `0.5 > 0.2 (threshold)`, or for a resolved alert where it stands against the threshold it cleared. */
function valueText({ kind, value, rule }: Notification): string {
  const shown = value === null ? "no value" : withUnit(value, rule.metric);
  const threshold = withUnit(rule.threshold, rule.metric);
  if (kind === "resolved") {
    return `${shown} (fires ${rule.op} ${threshold}, clears at ${withUnit(rule.resolveThreshold, rule.metric)})`;
  }
  return `${shown} ${rule.op} ${threshold} (threshold)`;
}

function withUnit(value: number, metric: AlertMetric): string {
  return metric.startsWith("latency.") ? `${format(value)} ms` : format(value);
}

function actionText({ kind, action }: Notification): string | undefined {
  if (action === "notify" || kind === "resolved") return undefined;
  const requested = kind === "firing" ? "requested now" : "requested when this alert fired";
  return action === "rollback"
    ? `Rollback to the model's configured rollback target, ${requested}.`
    : `Retraining through the model's retraining pipeline, ${requested}.`;
}

function nextStep(notification: Notification): string {
  if (notification.kind === "resolved") return "Nothing to do: the metric is back on the healthy side.";
  const acknowledge = `Acknowledge to stop reminders: POST /v1/alerts/${encodeURIComponent(notification.alertId)}/ack`;
  return `${investigation(notification.rule.metric)} ${acknowledge}`;
}

/** Where to start looking, by what the metric measures. */
function investigation(metric: AlertMetric): string {
  if (metric.startsWith("drift.") || metric === "prediction.psi") {
    return "Compare the window with the baseline in the report: if the shift is expected, register a new baseline; if not, check the data feeding the model.";
  }
  if (metric.startsWith("performance.")) {
    return "Check the recent ground truth against the predictions, and consider retraining.";
  }
  if (metric.startsWith("latency.") || metric === "errorRate") {
    return "Check the model endpoint's health and its recent deployments.";
  }
  return "Check that the model's producer still sends predictions as usual.";
}

/** `2026-12-01 09:00 to 10:00 UTC`, the date repeated only when the window spans midnight. */
function windowText({ from, to }: Notification["window"]): string {
  const [fromDate, fromTime] = [from.slice(0, 10), from.slice(11, 16)];
  const [toDate, toTime] = [to.slice(0, 10), to.slice(11, 16)];
  return fromDate === toDate
    ? `${fromDate} ${fromTime} to ${toTime} UTC`
    : `${fromDate} ${fromTime} to ${toDate} ${toTime} UTC`;
}

const utc = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

const capitalize = (word: string) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`;

/** Slack's mrkdwn reserves these three (https://api.slack.com/reference/surfaces/formatting#escaping). */
function escapeMarkdown(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** An http(s) target as a link Slack opens; anything else (an S3 URI) as code to copy. */
function markdownLink({ label, target, shown }: Link): string {
  if (!/^https?:\/\//.test(target)) return `*${label}:* \`${escapeMarkdown(shown)}\``;
  const url = target.replaceAll("|", "%7C").replaceAll("<", "%3C").replaceAll(">", "%3E");
  return `*${label}:* <${url}|${escapeMarkdown(shown)}>`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
