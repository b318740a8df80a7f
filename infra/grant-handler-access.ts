import { Stack, Validations } from "aws-cdk-lib";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { EVENT_BUS_ENV_VAR, RETRAINING_EVENT_SOURCE } from "#shared/alerts/retraining";
import { adminTokenSecret, alertsTopic, dataBucket, slackWebhookSecret } from "#shared/aws/resources";
import type { MonitoringFunction } from "./constructs/monitoring-function.ts";
import type { DataStack } from "./data-stack.ts";
import type { HandlerSpec, TableAccessLevel } from "./handler-specs.ts";
import { wildcardResourceFinding } from "./nag-findings.ts";

const READ_ITEM_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
];
const WRITE_ITEM_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
];

const TABLE_ACTIONS: Record<TableAccessLevel, readonly string[]> = {
  read: READ_ITEM_ACTIONS,
  write: WRITE_ITEM_ACTIONS,
  readWrite: [...READ_ITEM_ACTIONS, ...WRITE_ITEM_ACTIONS],
  readPut: [...READ_ITEM_ACTIONS, "dynamodb:PutItem"],
  scan: ["dynamodb:Scan"],
};

/**
 * Gives a function exactly what its spec lists, and the environment variables naming those
 * resources (and nothing else, so a handler cannot reach what it was not granted). Statements
 * name the table ARN alone, without `/index/*`: no handler queries an index.
 */
export function grantHandlerAccess(fn: MonitoringFunction, spec: HandlerSpec, data: DataStack): void {
  const { lambda } = fn;

  for (const { table: definition, access } of spec.tables ?? []) {
    const table = data.tableFor(definition);
    lambda.addToRolePolicy(
      new PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [table.tableArn] }),
    );
    lambda.addEnvironment(definition.envVar, table.tableName);
  }

  const bucketArn = data.dataBucketArnExport.importValue;
  if (spec.dataListings?.length) {
    // ListBucket is a bucket-level action: the prefix is confined by a condition, not by the ARN.
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ["s3:ListBucket"],
        resources: [bucketArn],
        conditions: { StringLike: { "s3:prefix": spec.dataListings.map((prefix) => `${prefix}*`) } },
      }),
    );
  }
  for (const { prefix, actions } of spec.dataObjects ?? []) {
    const objects = `${bucketArn}/${prefix}*`;
    lambda.addToRolePolicy(new PolicyStatement({ actions: [...actions], resources: [objects] }));
    Validations.of(fn).acknowledge({
      id: wildcardResourceFinding(fn, objects),
      reason: `Object access is confined to the ${prefix} prefix; object keys are generated per request, so a prefix wildcard is the narrowest grant S3 allows.`,
    });
  }
  if (spec.dataListings?.length || spec.dataObjects?.length) {
    lambda.addEnvironment(dataBucket.envVar, data.dataBucket.bucketName);
  }

  if (spec.readsAdminTokenSecret) {
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [data.adminTokenSecret.secretArn],
      }),
    );
    lambda.addEnvironment(adminTokenSecret.envVar, data.adminTokenSecret.secretArn);
  }

  if (spec.readsSlackWebhookSecret) {
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ["secretsmanager:GetSecretValue"],
        resources: [data.slackWebhookSecret.secretArn],
      }),
    );
    lambda.addEnvironment(slackWebhookSecret.envVar, data.slackWebhookSecret.secretArn);
  }

  if (spec.alertsTopic?.length) {
    // The topic is encrypted with the AWS-managed key, which needs no grant of the publisher.
    lambda.addToRolePolicy(
      new PolicyStatement({ actions: [...spec.alertsTopic], resources: [data.alertsTopic.topicArn] }),
    );
    lambda.addEnvironment(alertsTopic.envVar, data.alertsTopic.topicArn);
  }

  if (spec.putsEventsOnDefaultBus) {
    const defaultBus = Stack.of(fn).formatArn({
      service: "events",
      resource: "event-bus",
      resourceName: "default",
    });
    lambda.addToRolePolicy(
      new PolicyStatement({
        actions: ["events:PutEvents"],
        resources: [defaultBus],
        // Only DriftWatch's own events: it cannot pose as another source on the account's bus.
        conditions: { StringEquals: { "events:source": RETRAINING_EVENT_SOURCE } },
      }),
    );
    lambda.addEnvironment(EVENT_BUS_ENV_VAR, defaultBus);
  }
}
