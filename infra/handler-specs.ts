import { Duration } from "aws-cdk-lib";
import {
  alertActionsTable,
  alertsTable,
  baselinesTable,
  checksTable,
  dataBucket,
  modelsTable,
  predictionsTable,
  type TableDefinition,
  tokensTable,
} from "#shared/aws/resources";
import { authorizerHandler } from "#shared/http/routes";

/**
 * `readPut` is for history tables whose items are written once and never updated or deleted
 * (baselines, checks): reads and PutItem, without UpdateItem, DeleteItem or BatchWriteItem.
 * `scan` is Scan alone, for a function that walks a whole table (the schedule resync).
 */
export type TableAccessLevel = "read" | "write" | "readWrite" | "readPut" | "scan";

export interface TableAccess {
  readonly table: TableDefinition;
  readonly access: TableAccessLevel;
}

/**
 * s3:PutObject also covers a multipart upload's create, part and complete calls; AbortMultipartUpload
 * is its own action, which a multipart writer needs to clean up after a failed part.
 */
export type ObjectAction = "s3:GetObject" | "s3:PutObject" | "s3:DeleteObject" | "s3:AbortMultipartUpload";

/** Object-level access to the data bucket, confined to one key prefix. */
export interface DataObjectAccess {
  readonly prefix: string;
  readonly actions: readonly ObjectAction[];
}

/**
 * What a handler may do on the alerts topic. The subscription actions are authorized against the
 * topic's ARN (SNS has no subscription resource type in IAM).
 */
export type AlertsTopicAction =
  | "sns:Publish"
  | "sns:Subscribe"
  | "sns:Unsubscribe"
  | "sns:ListSubscriptionsByTopic"
  | "sns:GetSubscriptionAttributes"
  | "sns:SetSubscriptionAttributes";

/** What one handler may touch, and how it is sized when the defaults do not fit. */
export interface HandlerSpec {
  /** A table may be listed twice, to combine levels (`read` and `scan`). */
  readonly tables?: readonly TableAccess[];
  readonly dataObjects?: readonly DataObjectAccess[];
  /**
   * Key prefixes under which the handler may list the data bucket: s3:ListBucket on the bucket,
   * confined by an `s3:prefix` condition to keys starting with one of them.
   */
  readonly dataListings?: readonly string[];
  readonly readsAdminTokenSecret?: boolean;
  readonly readsSlackWebhookSecret?: boolean;
  readonly alertsTopic?: readonly AlertsTopicAction[];
  /** events:PutEvents on the account's default event bus, which the handler learns as DRIFTWATCH_EVENT_BUS. */
  readonly putsEventsOnDefaultBus?: boolean;
  /**
   * Links to the API in what it writes (alert messages): it learns the API's URL as
   * DRIFTWATCH_API_URL from the stack that deploys it, where that adds no dependency cycle.
   */
  readonly linksToApi?: boolean;
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

/**
 * Every Lambda's permissions, in one place and keyed by its handler file: least privilege is
 * reviewed here, and a handler without an entry fails the synth rather than running with guesses.
 */
export const handlerSpecs: Readonly<Record<string, HandlerSpec>> = {
  [authorizerHandler]: {
    tables: [{ table: tokensTable, access: "read" }],
    readsAdminTokenSecret: true,
  },
  "get-health": {},
  "put-model-config": {
    tables: [{ table: modelsTable, access: "readWrite" }],
  },
  "get-model-config": {
    tables: [{ table: modelsTable, access: "read" }],
  },
  // Every model (Scan) for the admin, the caller's own (GetItem) for a model token.
  "list-models": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: modelsTable, access: "scan" },
    ],
  },
  // The Prometheus scrape: the models (Scan, for the admin), then each one's latest check and alerts.
  "get-metrics": {
    tables: [
      { table: modelsTable, access: "scan" },
      { table: checksTable, access: "read" },
      { table: alertsTable, access: "read" },
    ],
    // A scrape walks every model, 16 at a time: within API Gateway's 29 s for thousands of them.
    timeout: Duration.seconds(28),
  },
  "create-model-token": {
    tables: [
      { table: tokensTable, access: "write" },
      { table: modelsTable, access: "read" },
    ],
  },
  "revoke-model-token": {
    tables: [{ table: tokensTable, access: "readWrite" }],
  },
  "ingest-predictions": {
    tables: [
      { table: predictionsTable, access: "readWrite" },
      { table: modelsTable, access: "read" },
    ],
    // Delete undoes the log object when the index write fails (a request is stored whole or not at
    // all); the listing lets a retried request check that the earlier object still exists.
    dataListings: [dataBucket.logsPrefix],
    dataObjects: [{ prefix: dataBucket.logsPrefix, actions: ["s3:PutObject", "s3:DeleteObject"] }],
    // Up to 1000 records per request: gzip, one S3 put and 40 batch writes, within API Gateway's 29 s.
    memorySize: 1024,
    timeout: Duration.seconds(20),
  },
  "ingest-ground-truth": {
    tables: [
      { table: predictionsTable, access: "readWrite" },
      { table: modelsTable, access: "read" },
    ],
    // Label batches under fresh keys: a retried request writes new objects, never reads or deletes.
    dataObjects: [{ prefix: dataBucket.labelsPrefix, actions: ["s3:PutObject"] }],
    timeout: Duration.seconds(20),
  },
  // A window baseline lists and reads the model's logs; an upload is found by listing its key (a
  // multipart one completed first: PutObject), read and deleted once registered; a large one gets a
  // status record beside it (PutObject, DeleteObject) and is queued (sqs:SendMessage, granted by
  // infra/constructs/baseline-registration.ts). Baseline versions
  // are only ever added, their numbers by a multipart upload (shared/storage/large-objects.ts).
  "put-baseline": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: baselinesTable, access: "readPut" },
    ],
    dataListings: [dataBucket.logsPrefix, dataBucket.uploadsPrefix],
    dataObjects: [
      { prefix: dataBucket.logsPrefix, actions: ["s3:GetObject"] },
      { prefix: dataBucket.uploadsPrefix, actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] },
      { prefix: dataBucket.baselinesPrefix, actions: ["s3:PutObject", "s3:AbortMultipartUpload"] },
    ],
    // Summarising a window or an upload of reference records, within API Gateway's 29 s.
    memorySize: 2048,
    timeout: Duration.seconds(28),
  },
  // The registration of a large upload, after put-baseline answered 202 (SQS): reads and deletes the
  // upload, writes its status record beside it, adds the version.
  "register-baseline": {
    tables: [{ table: baselinesTable, access: "readPut" }],
    dataListings: [dataBucket.uploadsPrefix],
    dataObjects: [
      { prefix: dataBucket.uploadsPrefix, actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] },
      { prefix: dataBucket.baselinesPrefix, actions: ["s3:PutObject", "s3:AbortMultipartUpload"] },
    ],
    // Streams and summarises uploads of any size: 15 minutes is Lambda's most.
    memorySize: 4096,
    timeout: Duration.minutes(15),
  },
  // The versions (registered) or the status record under uploads/, found by listing it.
  "get-baseline-upload": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: baselinesTable, access: "read" },
    ],
    dataListings: [dataBucket.uploadsPrefix],
    dataObjects: [{ prefix: dataBucket.uploadsPrefix, actions: ["s3:GetObject"] }],
  },
  "get-baseline": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: baselinesTable, access: "read" },
    ],
  },
  // Signs a PutObject URL, or starts a multipart upload and signs its UploadPart and
  // AbortMultipartUpload URLs: S3 checks the signer's permission when the client uses them.
  "create-baseline-upload": {
    tables: [{ table: modelsTable, access: "read" }],
    dataObjects: [{ prefix: dataBucket.uploadsPrefix, actions: ["s3:PutObject", "s3:AbortMultipartUpload"] }],
  },
  // A whole check inline; with baseline.fromFirstWindow its window may become the first baseline.
  // Then the model's alert rules: each alert's state is written under a version condition, and a
  // change worth telling is published to the alerts topic.
  "run-checks": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: baselinesTable, access: "readPut" },
      { table: checksTable, access: "readPut" },
      { table: alertsTable, access: "readWrite" },
    ],
    alertsTopic: ["sns:Publish"],
    linksToApi: true,
    dataListings: [dataBucket.logsPrefix, dataBucket.labelsPrefix],
    dataObjects: [
      { prefix: dataBucket.logsPrefix, actions: ["s3:GetObject"] },
      { prefix: dataBucket.labelsPrefix, actions: ["s3:GetObject"] },
      {
        prefix: dataBucket.baselinesPrefix,
        actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      },
      { prefix: dataBucket.reportsPrefix, actions: ["s3:PutObject"] },
    ],
    memorySize: 2048,
    // API Gateway gives up after 29 s.
    timeout: Duration.seconds(28),
  },
  "get-drift": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: checksTable, access: "read" },
    ],
    dataObjects: [{ prefix: dataBucket.reportsPrefix, actions: ["s3:GetObject"] }],
  },
  "get-performance": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: checksTable, access: "read" },
    ],
    dataObjects: [{ prefix: dataBucket.reportsPrefix, actions: ["s3:GetObject"] }],
  },
  // A check's reference-vs-current histograms, a report beside its drift report.
  "get-distributions": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: checksTable, access: "read" },
    ],
    dataObjects: [{ prefix: dataBucket.reportsPrefix, actions: ["s3:GetObject"] }],
  },
  "get-latency": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: checksTable, access: "read" },
    ],
  },
  // The scheduled check's three steps (infra/constructs/check-pipeline.ts). Plan lists the window and
  // writes the map's items under partials/.
  // Also reads the label batches of the performance periods and the check history (coverage), and
  // fits the accuracy estimate's calibration for the groups.
  "plan-check": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: checksTable, access: "read" },
    ],
    dataListings: [dataBucket.logsPrefix, dataBucket.labelsPrefix],
    dataObjects: [
      { prefix: dataBucket.labelsPrefix, actions: ["s3:GetObject"] },
      { prefix: dataBucket.partialsPrefix, actions: ["s3:PutObject"] },
    ],
    memorySize: 2048,
    timeout: Duration.minutes(5),
  },
  // One group of log objects (up to 500 objects, 64 MB compressed) per invocation; no table at all.
  "summarize-batches": {
    dataObjects: [
      { prefix: dataBucket.logsPrefix, actions: ["s3:GetObject"] },
      // Reads the calibration, writes its partial result in parts (shared/storage/large-objects.ts).
      {
        prefix: dataBucket.partialsPrefix,
        actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      },
    ],
    memorySize: 2048,
    // Under the Express child workflow's 5 minutes, so a slow attempt still leaves room for a retry.
    timeout: Duration.seconds(270),
  },
  // Merges every partial (the whole window's columns in memory), then removes the check's scratch
  // objects, and evaluates the alert rules as run-checks does.
  "finish-check": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: baselinesTable, access: "readPut" },
      { table: checksTable, access: "readPut" },
      { table: alertsTable, access: "readWrite" },
    ],
    alertsTopic: ["sns:Publish"],
    linksToApi: true,
    dataObjects: [
      { prefix: dataBucket.partialsPrefix, actions: ["s3:GetObject", "s3:DeleteObject"] },
      {
        prefix: dataBucket.baselinesPrefix,
        actions: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
      },
      { prefix: dataBucket.reportsPrefix, actions: ["s3:PutObject"] },
    ],
    memorySize: 4096,
    timeout: Duration.minutes(10),
  },
  // Reads the models table's stream and writes EventBridge schedules: both are granted by the check
  // pipeline, which owns the stream mapping, the schedule group and the scheduler role.
  // The stream needs no table access; the resync ({"resync": true}) scans the models.
  "sync-model-schedule": {
    tables: [{ table: modelsTable, access: "scan" }],
    timeout: Duration.minutes(5),
  },
  // Every model's alerts (Scan) or one model's (Query), newest first.
  "get-alerts": {
    tables: [
      { table: alertsTable, access: "read" },
      { table: alertsTable, access: "scan" },
    ],
  },
  // Acknowledges a firing alert with a conditional UpdateItem; it publishes nothing.
  "acknowledge-alert": {
    tables: [{ table: alertsTable, access: "readWrite" }],
  },
  // The alert subscribers (infra/constructs/alert-fan-out.ts), each fed by its queue on the alerts
  // topic. Every one checks and writes a marker per notification, so a message delivered twice acts once.
  // Slack: the marker is read, then put once the post succeeded. 60 s leaves room to honour Retry-After.
  "deliver-slack": {
    tables: [{ table: alertActionsTable, access: "readPut" }],
    readsSlackWebhookSecret: true,
    timeout: Duration.seconds(60),
  },
  // Reads the model's rollback target; the guard (one rollback per model per cooldown) is a
  // conditional put, released by a delete when the rollback failed. The permissions on the targets
  // themselves come from the `rollbackTargets` context, granted by the fan-out construct.
  "roll-back-model": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: alertActionsTable, access: "readWrite" },
    ],
    timeout: Duration.seconds(60),
  },
  // Starts the user's retraining: an event on the default bus (and the model's webhook, if any).
  "request-retraining": {
    tables: [
      { table: modelsTable, access: "read" },
      { table: alertActionsTable, access: "readWrite" },
    ],
    putsEventsOnDefaultBus: true,
    timeout: Duration.seconds(60),
  },
  // Keeps each model's `alerts.emails` subscribed to the alerts topic (one subscription per address,
  // its filter policy naming the models), from the models table's stream: granted by the fan-out
  // construct, which owns the mapping. Every sync reads all models (Scan) to know who else names an
  // address; the resync ({"resync": true}) reads every subscription's filter policy too.
  "sync-email-subscriptions": {
    tables: [{ table: modelsTable, access: "scan" }],
    alertsTopic: [
      "sns:Subscribe",
      "sns:Unsubscribe",
      "sns:ListSubscriptionsByTopic",
      "sns:GetSubscriptionAttributes",
      "sns:SetSubscriptionAttributes",
    ],
    timeout: Duration.minutes(5),
  },
};

export function handlerSpecFor(handler: string): HandlerSpec {
  const spec = handlerSpecs[handler];
  if (!spec) {
    throw new Error(
      `No permissions defined for handler "${handler}": add an entry to handlerSpecs in infra/handler-specs.ts.`,
    );
  }
  return spec;
}
