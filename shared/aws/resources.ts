/**
 * The one definition of every stateful resource: the CDK stack, the local runtime and the tests
 * all build their tables, bucket, topic and queues from here, so local and AWS cannot drift apart.
 */

export type AttributeType = "S" | "N";

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface TableDefinition {
  /** CDK construct id; never change it, CloudFormation would replace the table. */
  constructId: string;
  /** Environment variable through which the Lambdas learn the table's name. */
  envVar: string;
  /** Physical name used by the local runtime and tests (on AWS, CloudFormation names tables). */
  localName: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
  timeToLiveAttribute?: string;
  /** A DynamoDB stream of item changes, for a function that reacts to them. */
  stream?: "NEW_AND_OLD_IMAGES";
}

/** Model configurations, one item per model; its stream keeps each model's check schedule in step. */
export const modelsTable: TableDefinition = {
  constructId: "ModelsTable",
  envVar: "MODELS_TABLE",
  localName: "driftwatch-models",
  partitionKey: { name: "modelId", type: "S" },
  stream: "NEW_AND_OLD_IMAGES",
};

/** API tokens, keyed by the SHA-256 of the secret so a leaked table leaks no usable token. */
export const tokensTable: TableDefinition = {
  constructId: "TokensTable",
  envVar: "TOKENS_TABLE",
  localName: "driftwatch-tokens",
  partitionKey: { name: "tokenId", type: "S" },
};

/**
 * One item per accepted prediction record, keyed for the idempotency check and the ground-truth join
 * (model, record id). No secondary index: the checks read S3, and an index would double the write
 * cost of every record and label. Items expire with the raw-log retention.
 */
export const predictionsTable: TableDefinition = {
  constructId: "PredictionsTable",
  envVar: "PREDICTIONS_TABLE",
  localName: "driftwatch-predictions",
  partitionKey: { name: "modelId", type: "S" },
  sortKey: { name: "id", type: "S" },
  timeToLiveAttribute: "expiresAt",
};

/**
 * Every baseline version of every model, immutable once written: who set it, when, from what, how many
 * rows, and where its summary lies in S3. The highest version is the one checks compare with.
 */
export const baselinesTable: TableDefinition = {
  constructId: "BaselinesTable",
  envVar: "BASELINES_TABLE",
  localName: "driftwatch-baselines",
  partitionKey: { name: "modelId", type: "S" },
  sortKey: { name: "version", type: "N" },
};

/**
 * One item per check run: its status, the value of every alert metric, and where its reports are,
 * sorted by the end of the window it covered. Alert rules read these and nothing else.
 */
export const checksTable: TableDefinition = {
  constructId: "ChecksTable",
  envVar: "CHECKS_TABLE",
  localName: "driftwatch-checks",
  partitionKey: { name: "modelId", type: "S" },
  sortKey: { name: "checkId", type: "S" },
  timeToLiveAttribute: "expiresAt",
};

/**
 * One item per (model, rule, feature): the alert's lifecycle (pending, firing, acknowledged,
 * resolved), written only under a version condition so concurrent checks notify once.
 */
export const alertsTable: TableDefinition = {
  constructId: "AlertsTable",
  envVar: "ALERTS_TABLE",
  localName: "driftwatch-alerts",
  partitionKey: { name: "modelId", type: "S" },
  sortKey: { name: "alertKey", type: "S" },
};

/**
 * What the alert subscribers did, per model: a marker per delivered notification and channel (so a
 * message delivered twice acts once), the audit of every rollback and retraining request, and the
 * rollback guard (at most one per model per cooldown). Delivery markers expire.
 */
export const alertActionsTable: TableDefinition = {
  constructId: "AlertActionsTable",
  envVar: "ALERT_ACTIONS_TABLE",
  localName: "driftwatch-alert-actions",
  partitionKey: { name: "modelId", type: "S" },
  sortKey: { name: "actionKey", type: "S" },
  timeToLiveAttribute: "expiresAt",
};

export const tables = [
  modelsTable,
  tokensTable,
  predictionsTable,
  baselinesTable,
  checksTable,
  alertsTable,
  alertActionsTable,
] as const;

export interface BucketDefinition {
  constructId: string;
  envVar: string;
  localName: string;
  /** Key prefix of raw prediction logs (CONTRACT §3). */
  logsPrefix: string;
  /** Key prefix of drift and performance reports (CONTRACT §3). */
  reportsPrefix: string;
  /** Key prefix of ground-truth label batches, partitioned by their predictions' receipt hour. */
  labelsPrefix: string;
  /** Key prefix of baseline summaries. */
  baselinesPrefix: string;
  /** Key prefix of reference files uploaded through a pre-signed URL, removed once registered. */
  uploadsPrefix: string;
  /** Key prefix of the partial results a fanned-out check merges. */
  partialsPrefix: string;
}

export const dataBucket: BucketDefinition = {
  constructId: "DataBucket",
  envVar: "DATA_BUCKET",
  localName: "driftwatch-data",
  logsPrefix: "logs/",
  reportsPrefix: "reports/",
  labelsPrefix: "labels/",
  baselinesPrefix: "baselines/",
  uploadsPrefix: "uploads/",
  partialsPrefix: "partials/",
};

export interface TopicDefinition {
  constructId: string;
  envVar: string;
  localName: string;
}

export const alertsTopic: TopicDefinition = {
  constructId: "AlertsTopic",
  envVar: "ALERTS_TOPIC_ARN",
  localName: "driftwatch-alerts",
};

export interface QueueDefinition {
  constructId: string;
  envVar: string;
  localName: string;
}

/** Where alert deliveries that exhausted their retries end, so no failure is silent. */
export const alertDeadLetterQueue: QueueDefinition = {
  constructId: "AlertDeadLetterQueue",
  envVar: "ALERT_DLQ_URL",
  localName: "driftwatch-alert-dlq",
};

/**
 * Where a check that could not run ends: EventBridge Scheduler's dead-letter target after its retries,
 * and the local scheduler's, so a failed check is never silent.
 */
export const checkDeadLetterQueue: QueueDefinition = {
  constructId: "CheckDeadLetterQueue",
  envVar: "CHECK_DLQ_URL",
  localName: "driftwatch-check-dlq",
};

/** Uploads waiting to be registered as a baseline version: too large to register within an API call. */
export const baselineRegistrationDeadLetterQueue: QueueDefinition = {
  constructId: "BaselineRegistrationDeadLetterQueue",
  envVar: "BASELINE_REGISTRATION_DLQ_URL",
  localName: "driftwatch-baseline-registration-dlq",
};

/**
 * Registrations of large uploads (PUT .../baseline answers 202), consumed by the register-baseline
 * worker one message at a time. A message received `maxReceiveCount` times without success moves to
 * the dead-letter queue; the worker marks the upload failed on that last receive.
 */
export const baselineRegistrationQueue: QueueDefinition & {
  deadLetterQueue: QueueDefinition;
  maxReceiveCount: number;
  visibilityTimeoutSeconds: number;
} = {
  constructId: "BaselineRegistrationQueue",
  envVar: "BASELINE_REGISTRATION_QUEUE_URL",
  localName: "driftwatch-baseline-registration",
  deadLetterQueue: baselineRegistrationDeadLetterQueue,
  maxReceiveCount: 3,
  // Six times the worker's 15-minute timeout, as AWS advises for a Lambda event source: a message is
  // never redelivered while an attempt may still be running (which would register the upload twice).
  visibilityTimeoutSeconds: 6 * 15 * 60,
};

/**
 * A queue subscribed to the alerts topic with a filter policy, feeding one handler as Lambda's event
 * source mapping does (locally: shared/local/sqs-event-source.ts). A message that fails
 * `maxReceiveCount` times moves to the alert dead-letter queue, as does one SNS cannot deliver.
 */
export interface AlertSubscriptionQueue extends QueueDefinition {
  /** File name (without extension) of the handler in functions/. */
  handler: string;
  filterPolicy: Record<string, string[]>;
  maxReceiveCount: number;
  visibilityTimeoutSeconds: number;
}

const NOTIFYING_SEVERITIES = ["warning", "critical", "emergency"];

/** Three receives, each hidden six times the handlers' 60 s timeout, as AWS advises for a Lambda event source. */
const ALERT_DELIVERY_RETRIES = { maxReceiveCount: 3, visibilityTimeoutSeconds: 360 };

/** Notifications of warning and above, posted to Slack. */
export const slackDeliveryQueue: AlertSubscriptionQueue = {
  constructId: "SlackDeliveryQueue",
  envVar: "SLACK_DELIVERY_QUEUE_URL",
  localName: "driftwatch-slack-delivery",
  handler: "deliver-slack",
  filterPolicy: { format: ["json"], severity: NOTIFYING_SEVERITIES },
  ...ALERT_DELIVERY_RETRIES,
};

/** Alerts that fired with the rollback action: the model's configured rollback target is performed. */
export const rollbackQueue: AlertSubscriptionQueue = {
  constructId: "RollbackQueue",
  envVar: "ROLLBACK_QUEUE_URL",
  localName: "driftwatch-rollback",
  handler: "roll-back-model",
  filterPolicy: { format: ["json"], kind: ["firing"], action: ["rollback"] },
  ...ALERT_DELIVERY_RETRIES,
};

/** Alerts that fired with the retrain action: the user's retraining pipeline is started. */
export const retrainQueue: AlertSubscriptionQueue = {
  constructId: "RetrainQueue",
  envVar: "RETRAIN_QUEUE_URL",
  localName: "driftwatch-retrain",
  handler: "request-retraining",
  filterPolicy: { format: ["json"], kind: ["firing"], action: ["retrain"] },
  ...ALERT_DELIVERY_RETRIES,
};

export const alertSubscriptionQueues = [slackDeliveryQueue, rollbackQueue, retrainQueue] as const;

/**
 * The filter policy of the email subscriptions: readable text of warning and above; a model's own
 * addresses only hear of that model.
 */
export function emailFilterPolicy(modelId?: string): Record<string, string[]> {
  return { format: ["text"], severity: NOTIFYING_SEVERITIES, ...(modelId ? { modelId: [modelId] } : {}) };
}

export const queues = [
  alertDeadLetterQueue,
  checkDeadLetterQueue,
  baselineRegistrationQueue,
  baselineRegistrationDeadLetterQueue,
  ...alertSubscriptionQueues,
] as const;

/**
 * Secrets Manager secret holding the Slack incoming-webhook URL on AWS (locally: SLACK_WEBHOOK_URL,
 * and unset, Slack messages are printed instead of posted).
 */
export const slackWebhookSecret = {
  constructId: "SlackWebhookSecret",
  envVar: "SLACK_WEBHOOK_SECRET_ARN",
  localEnvVar: "SLACK_WEBHOOK_URL",
} as const;

/** The stack-level address that hears of every model's alerts (CDK context `alertEmail`; locally the env). */
export const ALERT_EMAIL_ENV_VAR = "DRIFTWATCH_ALERT_EMAIL";

/** The API's public URL, for links in alert messages. */
export const API_URL_ENV_VAR = "DRIFTWATCH_API_URL";

/** Secrets Manager secret holding the admin token on AWS (locally: DRIFTWATCH_ADMIN_TOKEN). */
export const adminTokenSecret = {
  constructId: "AdminTokenSecret",
  envVar: "ADMIN_TOKEN_SECRET_ARN",
} as const;

/** Default retention of raw logs and prediction items, in days (cdk.json context overrides). */
export const DEFAULT_RETENTION_DAYS = 90;
export const RETENTION_ENV_VAR = "RETENTION_DAYS";
