import { z } from "zod";
import { checkWindowSchema } from "./check-window.ts";
import { alertActionSchema, alertMetricSchema, alertSeveritySchema } from "./model-config.ts";

/** A rule as an alert remembers it: every default filled in, and the name it is keyed by. */
export const evaluatedRuleSchema = z.object({
  name: z.string(),
  metric: alertMetricSchema,
  op: z.enum([">", "<"]),
  threshold: z.number(),
  resolveThreshold: z.number(),
  severity: alertSeveritySchema,
  for: z.int().min(1),
  action: alertActionSchema,
});

/**
 * `pending`: breaching, but for fewer consecutive checks than the rule's `for` (or never breached):
 * not yet an alert. `firing` notifies, and reminds every cooldown; `acknowledged` is firing but
 * silenced until it resolves; `resolved` has cleared, and fires again as a new episode.
 */
export const alertStateSchema = z.enum(["pending", "firing", "acknowledged", "resolved"]);

/** What a notification tells: an alert fired, still fires (a reminder), or cleared. */
export const notificationKindSchema = z.enum(["firing", "reminder", "resolved"]);

/** A drifted feature and its score (PSI), for the message's "top features". */
export const featureScoreSchema = z.object({ name: z.string(), score: z.number() });

/**
 * One message to the alerts topic. `notificationId` is unique per alert, episode and message, so a
 * message published twice (a retried check) is delivered and acted on once.
 */
export const notificationSchema = z.object({
  notificationId: z.string(),
  kind: notificationKindSchema,
  alertId: z.string(),
  episode: z.int().positive(),
  modelId: z.string(),
  rule: evaluatedRuleSchema,
  /** The feature a per-feature rule (`drift.maxPsi`) fired for. */
  feature: z.string().optional(),
  severity: alertSeveritySchema,
  /** What the alert does beyond notifying: the rule's action, or `rollback` for an emergency with a rollback target. */
  action: alertActionSchema,
  value: z.number().nullable(),
  checkId: z.string(),
  window: checkWindowSchema,
  checkedAt: z.string(),
  firedAt: z.string(),
  resolvedAt: z.string().optional(),
  /** Every alert metric of the check, for the numbers beside the one that fired. */
  metrics: z.record(alertMetricSchema, z.number().nullable()),
  topFeatures: z.array(featureScoreSchema),
  /** Where to look: the stored report (S3 URI) and, when the API's URL is known, the route that shows it. */
  links: z.object({ report: z.string().optional(), api: z.string().optional() }),
  cooldownSeconds: z.int().nonnegative(),
});

/**
 * One alert: the lifecycle of one (model, rule, feature) key. `version` guards every write, so two
 * checks evaluating at once cannot both notify; `outbox` holds the notifications a write decided on
 * until they are published, so a failure between the two is retried rather than lost.
 */
export const alertSchema = z.object({
  alertId: z.string(),
  modelId: z.string(),
  alertKey: z.string(),
  rule: evaluatedRuleSchema,
  feature: z.string().optional(),
  state: alertStateSchema,
  /** Consecutive breaching checks (of successive windows) so far. */
  breaches: z.int().nonnegative(),
  value: z.number().nullable(),
  episode: z.int().nonnegative(),
  firedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  lastNotifiedAt: z.string().optional(),
  lastCheckId: z.string(),
  lastWindowTo: z.string(),
  updatedAt: z.string(),
  version: z.int().nonnegative(),
  /** Notifications decided on but not yet published, by notification id. */
  outbox: z.record(z.string(), notificationSchema).optional(),
});

export type EvaluatedRule = z.infer<typeof evaluatedRuleSchema>;
export type AlertState = z.infer<typeof alertStateSchema>;
export type NotificationKind = z.infer<typeof notificationKindSchema>;
export type FeatureScore = z.infer<typeof featureScoreSchema>;
export type Notification = z.infer<typeof notificationSchema>;
export type Alert = z.infer<typeof alertSchema>;

/**
 * The SNS message attributes every subscription filters on. Each notification is published twice:
 * as JSON (`format: json`) for the Slack, rollback and retrain queues, and as readable text
 * (`format: text`) for email subscriptions.
 */
export const NOTIFICATION_ATTRIBUTES = ["modelId", "severity", "kind", "action", "format"] as const;
export type NotificationAttributes = Record<(typeof NOTIFICATION_ATTRIBUTES)[number], string>;
