import { Match } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { ACCESS_LOGS_BUCKET_ID, ATHENA_RESULTS_PREFIX } from "../../infra/data-stack.ts";
import { RETENTION_CONTEXT_KEY } from "../../infra/retention.ts";
import {
  adminTokenSecret,
  alertDeadLetterQueue,
  alertsTopic,
  baselinesTable,
  checksTable,
  DEFAULT_RETENTION_DAYS,
  dataBucket,
  type KeyDefinition,
  modelsTable,
  slackWebhookSecret,
  type TableDefinition,
  tables,
} from "../../shared/aws/resources.ts";
import { privateEncryptedBucket } from "../support/s3-buckets.ts";
import { logicalIdOf, resourceOf, resourcesOfType, synthDriftWatch } from "./support/synth.ts";

const driftWatch = synthDriftWatch();
const { data, dataTemplate } = driftWatch;

const keySchema = (partitionKey: KeyDefinition, sortKey?: KeyDefinition) => [
  { AttributeName: partitionKey.name, KeyType: "HASH" },
  ...(sortKey ? [{ AttributeName: sortKey.name, KeyType: "RANGE" }] : []),
];

const bucketLogicalId = logicalIdOf(data, data.dataBucket);
const accessLogsLogicalId = logicalIdOf(data, data.node.findChild(ACCESS_LOGS_BUCKET_ID));

interface LifecycleRule {
  Prefix?: string;
  ExpirationInDays?: number;
  NoncurrentVersionExpiration?: { NoncurrentDays: number };
}

function lifecycleRules(template = dataTemplate, logicalId = bucketLogicalId): LifecycleRule[] {
  return (resourceOf(template, logicalId).Properties.LifecycleConfiguration as { Rules: LifecycleRule[] })
    .Rules;
}

function logsLifecycleRule(template = dataTemplate, logicalId = bucketLogicalId) {
  return lifecycleRules(template, logicalId).find((rule) => rule.Prefix === dataBucket.logsPrefix);
}

const tableProperties = (definition: TableDefinition) =>
  resourceOf(dataTemplate, logicalIdOf(data, data.tableFor(definition))).Properties;

describe("tables", () => {
  it.each(tables.map((table) => [table.constructId, table] as const))(
    "builds %s with the keys and TTL of shared/aws/resources.ts, and no secondary index to pay for",
    (_constructId, definition) => {
      const table = resourceOf(dataTemplate, logicalIdOf(data, data.tableFor(definition)));
      const properties = table.Properties;

      expect(properties.KeySchema).toEqual(keySchema(definition.partitionKey, definition.sortKey));
      expect(properties.GlobalSecondaryIndexes).toBeUndefined();
      const declaredAttributes = [definition.partitionKey, definition.sortKey].filter(
        (key): key is KeyDefinition => key !== undefined,
      );
      for (const key of declaredAttributes) {
        expect(properties.AttributeDefinitions).toContainEqual({
          AttributeName: key.name,
          AttributeType: key.type,
        });
      }
      expect(properties.TimeToLiveSpecification).toEqual(
        definition.timeToLiveAttribute
          ? { AttributeName: definition.timeToLiveAttribute, Enabled: true }
          : undefined,
      );
      expect(properties.StreamSpecification).toEqual(
        definition.stream ? { StreamViewType: definition.stream } : undefined,
      );
    },
  );

  it("streams the models table's changes with old and new images, for the schedule sync", () => {
    expect(tableProperties(modelsTable).StreamSpecification).toEqual({
      StreamViewType: "NEW_AND_OLD_IMAGES",
    });
  });

  it("keys baselines by model and numeric version, and checks by model and check id, expiring", () => {
    expect(tableProperties(baselinesTable)).toMatchObject({
      KeySchema: [
        { AttributeName: "modelId", KeyType: "HASH" },
        { AttributeName: "version", KeyType: "RANGE" },
      ],
      AttributeDefinitions: expect.arrayContaining([{ AttributeName: "version", AttributeType: "N" }]),
    });
    expect(tableProperties(baselinesTable).TimeToLiveSpecification).toBeUndefined();
    expect(tableProperties(checksTable)).toMatchObject({
      KeySchema: [
        { AttributeName: "modelId", KeyType: "HASH" },
        { AttributeName: "checkId", KeyType: "RANGE" },
      ],
      AttributeDefinitions: expect.arrayContaining([{ AttributeName: "checkId", AttributeType: "S" }]),
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });

  it("are on demand, point-in-time recoverable, encrypted, protected from deletion and retained", () => {
    const built = Object.values(resourcesOfType(dataTemplate, "AWS::DynamoDB::Table"));
    expect(built).toHaveLength(tables.length);
    for (const table of built) {
      expect(table.Properties).toMatchObject({
        BillingMode: "PAY_PER_REQUEST",
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(table.DeletionPolicy).toBe("Retain");
      expect(table.UpdateReplacePolicy).toBe("Retain");
    }
  });
});

describe("data bucket", () => {
  it("blocks all public access, encrypts with S3-managed keys, keeps versions and logs access elsewhere", () => {
    expect(resourceOf(dataTemplate, bucketLogicalId).Properties).toMatchObject({
      ...privateEncryptedBucket,
      VersioningConfiguration: { Status: "Enabled" },
      LoggingConfiguration: { DestinationBucketName: { Ref: accessLogsLogicalId } },
    });
  });

  it.each([
    ["data", bucketLogicalId],
    ["access-log", accessLogsLogicalId],
  ])("the %s bucket's policy denies every request not made over TLS", (_name, logicalId) => {
    dataTemplate.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: logicalId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "s3:*",
            Principal: { AWS: "*" },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });

  it(`expires raw logs after the default ${DEFAULT_RETENTION_DAYS} days, and their old versions soon after`, () => {
    const rule = logsLifecycleRule();
    expect(rule?.ExpirationInDays).toBe(DEFAULT_RETENTION_DAYS);
    expect(rule?.NoncurrentVersionExpiration?.NoncurrentDays).toBeLessThanOrEqual(7);
  });

  it.each([30, "30"])("expires raw logs after the retention given in context (%j)", (days) => {
    const overridden = synthDriftWatch({ [RETENTION_CONTEXT_KEY]: days });
    expect(
      logsLifecycleRule(overridden.dataTemplate, logicalIdOf(overridden.data, overridden.data.dataBucket)),
    ).toMatchObject({ ExpirationInDays: 30 });
  });

  it.each([
    [dataBucket.uploadsPrefix, 1],
    [dataBucket.partialsPrefix, 2],
    [ATHENA_RESULTS_PREFIX, 7],
  ])(
    "expires scratch objects under %s after %i day(s), and their old versions a day later",
    (prefix, days) => {
      const rule = lifecycleRules().find((candidate) => candidate.Prefix === prefix);
      expect(rule?.ExpirationInDays).toBe(days);
      expect(rule?.NoncurrentVersionExpiration?.NoncurrentDays).toBe(1);
    },
  );

  it("expires ground-truth labels with the raw logs they label", () => {
    const labels = lifecycleRules().find((candidate) => candidate.Prefix === dataBucket.labelsPrefix);
    const logs = lifecycleRules().find((candidate) => candidate.Prefix === dataBucket.logsPrefix);
    expect(labels?.ExpirationInDays).toBe(logs?.ExpirationInDays);
  });

  it("never expires current reports or baselines", () => {
    for (const rule of lifecycleRules()) {
      if (rule.ExpirationInDays === undefined) continue;
      expect([
        dataBucket.logsPrefix,
        dataBucket.labelsPrefix,
        dataBucket.uploadsPrefix,
        dataBucket.partialsPrefix,
        ATHENA_RESULTS_PREFIX,
      ]).toContain(rule.Prefix);
    }
  });

  it("is retained, like the bucket holding its access logs", () => {
    for (const bucket of Object.values(resourcesOfType(dataTemplate, "AWS::S3::Bucket"))) {
      expect(bucket.DeletionPolicy).toBe("Retain");
    }
  });
});

describe("alerting and secrets", () => {
  it("encrypts the alerts topic and accepts only TLS publishers", () => {
    const topicId = logicalIdOf(data, data.alertsTopic);
    expect(resourceOf(dataTemplate, topicId).Properties.KmsMasterKeyId).toBeDefined();
    dataTemplate.hasResourceProperties("AWS::SNS::TopicPolicy", {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("encrypts the alert dead-letter queue and accepts only TLS", () => {
    const queueId = logicalIdOf(data, data.alertDeadLetterQueue);
    expect(resourceOf(dataTemplate, queueId).Properties.SqsManagedSseEnabled).toBe(true);
    dataTemplate.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("generates a 40-character admin token without punctuation", () => {
    dataTemplate.hasResourceProperties("AWS::SecretsManager::Secret", {
      GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true },
    });
  });

  it("retains the topic, queue and secret when the stack is deleted", () => {
    for (const type of ["AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::SecretsManager::Secret"]) {
      for (const resource of Object.values(resourcesOfType(dataTemplate, type))) {
        expect(resource.DeletionPolicy, type).toBe("Retain");
      }
    }
  });

  it("outputs the alerts topic ARN", () => {
    dataTemplate.hasOutput("AlertsTopicArn", { Value: { Ref: logicalIdOf(data, data.alertsTopic) } });
  });

  it("creates the Slack webhook secret empty, for the operator to put the URL in, rather than with a made-up value", () => {
    const secret = resourceOf(dataTemplate, logicalIdOf(data, data.slackWebhookSecret));
    expect(secret.Properties.GenerateSecretString).toBeUndefined();
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.DeletionPolicy).toBe("Retain");
  });

  it("outputs the Slack webhook secret ARN and the alert dead-letter queue URL", () => {
    dataTemplate.hasOutput("SlackWebhookSecretArn", {
      Value: { Ref: logicalIdOf(data, data.slackWebhookSecret) },
    });
    dataTemplate.hasOutput("AlertDeadLetterQueueUrl", {
      Value: { Ref: logicalIdOf(data, data.alertDeadLetterQueue) },
    });
  });
});

describe("construct ids", () => {
  it("are those of shared/aws/resources.ts, so CloudFormation never replaces a stateful resource", () => {
    for (const table of tables) expect(data.tableFor(table).node.id).toBe(table.constructId);
    expect(data.dataBucket.node.id).toBe(dataBucket.constructId);
    expect(data.alertsTopic.node.id).toBe(alertsTopic.constructId);
    expect(data.alertDeadLetterQueue.node.id).toBe(alertDeadLetterQueue.constructId);
    expect(data.adminTokenSecret.node.id).toBe(adminTokenSecret.constructId);
    expect(data.slackWebhookSecret.node.id).toBe(slackWebhookSecret.constructId);
  });
});

describe("retention context", () => {
  it.each(["abc", 0, -5, 1.5, "", true])("rejects %j with an error naming the setting", (days) => {
    expect(() => synthDriftWatch({ [RETENTION_CONTEXT_KEY]: days })).toThrow(
      /driftwatch:retentionDays" must be a positive whole number of days/,
    );
  });
});
