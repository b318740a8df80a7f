/**
 * The one definition of every stateful resource: the CDK stack, the local runtime and the tests
 * all build their tables, bucket, topic and queues from here, so local and AWS cannot drift apart.
 */

export type AttributeType = "S" | "N";

export interface KeyDefinition {
  name: string;
  type: AttributeType;
}

export interface IndexDefinition {
  indexName: string;
  partitionKey: KeyDefinition;
  sortKey?: KeyDefinition;
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
  globalSecondaryIndexes?: IndexDefinition[];
}

/** Model configurations, one item per model. */
export const modelsTable: TableDefinition = {
  constructId: "ModelsTable",
  envVar: "MODELS_TABLE",
  localName: "driftwatch-models",
  partitionKey: { name: "modelId", type: "S" },
};

/** API tokens, keyed by the SHA-256 of the secret so a leaked table leaks no usable token. */
export const tokensTable: TableDefinition = {
  constructId: "TokensTable",
  envVar: "TOKENS_TABLE",
  localName: "driftwatch-tokens",
  partitionKey: { name: "tokenId", type: "S" },
};

/**
 * One item per accepted prediction record, keyed for the ground-truth join (model, record id) and
 * indexed by time for windowed performance checks. Items expire with the raw-log retention.
 */
export const predictionsTable: TableDefinition = {
  constructId: "PredictionsTable",
  envVar: "PREDICTIONS_TABLE",
  localName: "driftwatch-predictions",
  partitionKey: { name: "modelId", type: "S" },
  sortKey: { name: "id", type: "S" },
  timeToLiveAttribute: "expiresAt",
  globalSecondaryIndexes: [
    {
      indexName: "byTimestamp",
      partitionKey: { name: "modelId", type: "S" },
      sortKey: { name: "timestamp", type: "S" },
    },
  ],
};

export const tables = [modelsTable, tokensTable, predictionsTable] as const;

export interface BucketDefinition {
  constructId: string;
  envVar: string;
  localName: string;
  /** Key prefix of raw prediction logs (CONTRACT §3). */
  logsPrefix: string;
  /** Key prefix of drift and performance reports (CONTRACT §3). */
  reportsPrefix: string;
}

export const dataBucket: BucketDefinition = {
  constructId: "DataBucket",
  envVar: "DATA_BUCKET",
  localName: "driftwatch-data",
  logsPrefix: "logs/",
  reportsPrefix: "reports/",
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

export const queues = [alertDeadLetterQueue] as const;

/** Secrets Manager secret holding the admin token on AWS (locally: DRIFTWATCH_ADMIN_TOKEN). */
export const adminTokenSecret = {
  constructId: "AdminTokenSecret",
  envVar: "ADMIN_TOKEN_SECRET_ARN",
} as const;

/** Default retention of raw logs and prediction items, in days (cdk.json context overrides). */
export const DEFAULT_RETENTION_DAYS = 90;
export const RETENTION_ENV_VAR = "RETENTION_DAYS";
