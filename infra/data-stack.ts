import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from "aws-cdk-lib";
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Alias, Key } from "aws-cdk-lib/aws-kms";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { type CfnSecret, Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Subscription, SubscriptionProtocol, Topic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";
import {
  adminTokenSecret,
  alertDeadLetterQueue,
  alertsTopic,
  dataBucket,
  type KeyDefinition,
  slackWebhookSecret,
  type TableDefinition,
  tables,
} from "#shared/aws/resources";
import { deadLetterQueueAlarm } from "./alarms.ts";

/** Construct id of the bucket receiving the data bucket's S3 server access logs; never change it. */
export const ACCESS_LOGS_BUCKET_ID = "AccessLogsBucket";
/** Where the dashboard's site bucket (in the API stack) writes its server access logs. */
export const DASHBOARD_ACCESS_LOGS_PREFIX = "dashboard-bucket/";
/** Key prefix of the Athena workgroup's query results in the data bucket (infra/operations-stack.ts). */
export const ATHENA_RESULTS_PREFIX = "athena-results/";
/**
 * Query results are copies of logged records: kept a week, long enough to download a result or
 * reuse it, and never longer than the logs they came from.
 */
const ATHENA_RESULT_RETENTION = Duration.days(7);
/** Server access logs are audit records: kept for a year, independent of the data retention. */
const ACCESS_LOG_RETENTION = Duration.days(365);
/** Overwritten or deleted raw logs stay recoverable for a week, then go too. */
const NONCURRENT_LOG_RETENTION = Duration.days(7);
/** Replaced reports and baselines stay recoverable for a month. */
const NONCURRENT_OBJECT_RETENTION = Duration.days(30);
/** A pre-signed upload URL lives an hour: a file not registered as a baseline within a day is abandoned. */
const UPLOAD_RETENTION = Duration.days(1);
/**
 * A check's scratch objects are deleted by its last step; those of a check that failed midway are
 * kept two days, long enough to look into the failure, then go.
 */
const PARTIAL_RESULT_RETENTION = Duration.days(2);
/** Scratch objects are never worth restoring: their deleted versions go after a day. */
const NONCURRENT_SCRATCH_RETENTION = Duration.days(1);

/** A value exported under a name we choose, and the expression that imports it elsewhere. */
export interface NamedExport {
  readonly exportName: string;
  readonly importValue: string;
}

export interface DataStackProps extends StackProps {
  /** Days raw logs under logs/ are kept before S3 expires them. */
  readonly retentionDays: number;
  /** From the `operationsEmail` context: the address that hears of every alarm. */
  readonly operationsEmail?: string;
}

/**
 * Everything that holds data, apart from the code that uses it, so the API stack can be replaced
 * or destroyed freely. Every resource is built from shared/aws/resources.ts and is retained when
 * the stack goes.
 */
export class DataStack extends Stack {
  readonly dataBucket: Bucket;
  /**
   * Receives the S3 server access logs of the data bucket, of the dashboard's log bucket and (under
   * {@link DASHBOARD_ACCESS_LOGS_PREFIX}) of the dashboard's site bucket.
   */
  readonly accessLogsBucket: Bucket;
  /** Receives the CloudFront access logs of the dashboard's distribution. */
  readonly dashboardLogsBucket: Bucket;
  readonly alertsTopic: Topic;
  /**
   * Where every CloudWatch alarm of the app notifies (infra/alarms.ts). Apart from the alerts
   * topic, whose subscribers filter on message attributes that alarm notifications do not carry.
   */
  readonly operationsTopic: Topic;
  readonly operationsEmailSubscription?: Subscription;
  readonly alertDeadLetterQueue: Queue;
  readonly adminTokenSecret: Secret;
  /** Holds the Slack incoming-webhook URL, which the operator puts in after the first deploy. */
  readonly slackWebhookSecret: Secret;
  /**
   * The data bucket's ARN under a fixed export name rather than a generated one, so a policy
   * scoped to a key prefix of it reads the same in every synth (and so does its cdk-nag finding).
   */
  readonly dataBucketArnExport: NamedExport;
  private readonly tablesByDefinition: ReadonlyMap<TableDefinition, Table>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);

    this.tablesByDefinition = new Map(
      tables.map((definition) => [definition, createTable(this, definition)]),
    );
    this.accessLogsBucket = createAccessLogsBucket(this);
    // The dashboard's site bucket is in another stack, so CDK cannot name it in this bucket's policy,
    // and would let any bucket at all deliver logs under its prefix: only this account's may.
    this.accessLogsBucket.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal("logging.s3.amazonaws.com")],
        actions: ["s3:PutObject"],
        resources: [this.accessLogsBucket.arnForObjects(`${DASHBOARD_ACCESS_LOGS_PREFIX}*`)],
        conditions: { StringEquals: { "aws:SourceAccount": this.account } },
      }),
    );
    this.dataBucket = createDataBucket(this, this.accessLogsBucket, props.retentionDays);
    this.dashboardLogsBucket = createDashboardLogsBucket(this, this.accessLogsBucket);
    const exportName = `${this.stackName}-${dataBucket.constructId}Arn`;
    this.dataBucketArnExport = {
      exportName,
      importValue: this.exportValue(this.dataBucket.bucketArn, { name: exportName }),
    };
    this.alertsTopic = new Topic(this, alertsTopic.constructId, {
      displayName: "DriftWatch alerts",
      enforceSSL: true,
      // The AWS-managed key encrypts at rest at no cost; publishers in the account need no key grant.
      masterKey: Alias.fromAliasName(this, "AwsManagedSnsKey", "alias/aws/sns"),
    });
    this.alertsTopic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.alertDeadLetterQueue = createAlertDeadLetterQueue(this);
    this.operationsTopic = createOperationsTopic(this);
    if (props.operationsEmail) {
      // No filter policy: alarm notifications carry no message attributes to filter on.
      this.operationsEmailSubscription = new Subscription(this, "OperationsEmailSubscription", {
        topic: this.operationsTopic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: props.operationsEmail,
        deadLetterQueue: this.alertDeadLetterQueue,
      });
    }
    deadLetterQueueAlarm(
      this.alertDeadLetterQueue,
      this.operationsTopic,
      "An alert notification that could not be delivered or acted on (Slack, rollback, retraining, email)",
    );
    this.adminTokenSecret = new Secret(this, adminTokenSecret.constructId, {
      description: "DriftWatch admin bearer token",
      generateSecretString: { passwordLength: 40, excludePunctuation: true, includeSpace: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.adminTokenSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The admin token is a bearer credential held by operators and their scripts; automatic rotation would silently lock them out. Rotate it by hand with `aws secretsmanager put-secret-value`.",
    });

    this.slackWebhookSecret = createSlackWebhookSecret(this);

    new CfnOutput(this, "AlertsTopicArn", {
      value: this.alertsTopic.topicArn,
      description: "SNS topic every DriftWatch alert is published to",
    });
    new CfnOutput(this, "DataBucketName", {
      value: this.dataBucket.bucketName,
      description:
        "Bucket holding raw logs (logs/), labels, baselines, reports (reports/) and check scratch objects",
    });
    new CfnOutput(this, "AdminTokenSecretArn", {
      value: this.adminTokenSecret.secretArn,
      description: "Secrets Manager secret holding the admin token",
    });
    new CfnOutput(this, "SlackWebhookSecretArn", {
      value: this.slackWebhookSecret.secretArn,
      description:
        "Secrets Manager secret to put the Slack incoming-webhook URL in (aws secretsmanager put-secret-value)",
    });
    new CfnOutput(this, "OperationsTopicArn", {
      value: this.operationsTopic.topicArn,
      description:
        "SNS topic every DriftWatch CloudWatch alarm notifies (subscribe with -c operationsEmail=... or aws sns subscribe)",
    });
    new CfnOutput(this, "AlertDeadLetterQueueUrl", {
      value: this.alertDeadLetterQueue.queueUrl,
      description: "SQS queue of alert notifications that could not be delivered or acted on",
    });
  }

  tableFor(definition: TableDefinition): Table {
    const table = this.tablesByDefinition.get(definition);
    if (!table) throw new Error(`Table ${definition.constructId} is not part of the data stack.`);
    return table;
  }
}

function createTable(scope: Construct, definition: TableDefinition): Table {
  const table = new Table(scope, definition.constructId, {
    partitionKey: toAttribute(definition.partitionKey),
    sortKey: definition.sortKey && toAttribute(definition.sortKey),
    timeToLiveAttribute: definition.timeToLiveAttribute,
    stream: definition.stream && StreamViewType[definition.stream],
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return table;
}

function toAttribute(key: KeyDefinition): { name: string; type: AttributeType } {
  return { name: key.name, type: key.type === "S" ? AttributeType.STRING : AttributeType.NUMBER };
}

/** Private, encrypted, TLS-only (1.2 or later), retained: what every DriftWatch bucket shares. */
const secureBucketDefaults = {
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  encryption: BucketEncryption.S3_MANAGED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
} satisfies BucketProps;

function createAccessLogsBucket(scope: Construct): Bucket {
  const accessLogs = new Bucket(scope, ACCESS_LOGS_BUCKET_ID, {
    ...secureBucketDefaults,
    lifecycleRules: [{ id: "ExpireAccessLogs", expiration: ACCESS_LOG_RETENTION }],
  });
  Validations.of(accessLogs).acknowledge({
    id: "AwsSolutions-S1",
    reason:
      "This bucket is the destination of the other buckets' server access logs; logging it in turn would need another bucket and so on without end.",
  });
  return accessLogs;
}

function createDataBucket(scope: Construct, accessLogs: Bucket, retentionDays: number): Bucket {
  return new Bucket(scope, dataBucket.constructId, {
    ...secureBucketDefaults,
    versioned: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: "data-bucket/",
    lifecycleRules: [
      {
        id: "ExpireRawLogs",
        prefix: dataBucket.logsPrefix,
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: NONCURRENT_LOG_RETENTION,
      },
      {
        // Ground truth goes with the predictions it labels.
        id: "ExpireLabels",
        prefix: dataBucket.labelsPrefix,
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: NONCURRENT_LOG_RETENTION,
      },
      {
        id: "ExpireAbandonedUploads",
        prefix: dataBucket.uploadsPrefix,
        expiration: UPLOAD_RETENTION,
        noncurrentVersionExpiration: NONCURRENT_SCRATCH_RETENTION,
      },
      {
        id: "ExpirePartialResults",
        prefix: dataBucket.partialsPrefix,
        expiration: PARTIAL_RESULT_RETENTION,
        noncurrentVersionExpiration: NONCURRENT_SCRATCH_RETENTION,
      },
      {
        id: "ExpireAthenaResults",
        prefix: ATHENA_RESULTS_PREFIX,
        expiration: ATHENA_RESULT_RETENTION,
        noncurrentVersionExpiration: NONCURRENT_SCRATCH_RETENTION,
      },
      {
        id: "TidyVersionsAndUploads",
        noncurrentVersionExpiration: NONCURRENT_OBJECT_RETENTION,
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ],
  });
}

/**
 * CloudFront's standard logs are delivered with an ACL granting its log delivery account access, so
 * this bucket keeps ACLs enabled (object writer) where every other bucket has them disabled; its
 * objects stay private all the same.
 */
function createDashboardLogsBucket(scope: Construct, accessLogs: Bucket): Bucket {
  return new Bucket(scope, "DashboardLogsBucket", {
    ...secureBucketDefaults,
    objectOwnership: ObjectOwnership.OBJECT_WRITER,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: "dashboard-logs-bucket/",
    lifecycleRules: [{ id: "ExpireDashboardLogs", expiration: ACCESS_LOG_RETENTION }],
  });
}

/**
 * Encrypted with a key of its own, with rotation: CloudWatch cannot publish to a topic encrypted with
 * the AWS-managed SNS key, whose policy no one can change to let it.
 */
function createOperationsTopic(scope: Construct): Topic {
  const stack = Stack.of(scope);
  const cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");
  const key = new Key(scope, "OperationsTopicKey", {
    description: "DriftWatch operations topic (CloudWatch alarm notifications)",
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.grant(cloudWatch, "kms:Decrypt", "kms:GenerateDataKey*");
  const topic = new Topic(scope, "OperationsTopic", {
    displayName: "DriftWatch operations",
    enforceSSL: true,
    masterKey: key,
  });
  topic.addToResourcePolicy(
    new PolicyStatement({
      principals: [cloudWatch],
      actions: ["sns:Publish"],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: {
          "aws:SourceArn": stack.formatArn({
            service: "cloudwatch",
            resource: "alarm",
            resourceName: "*",
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
        StringEquals: { "aws:SourceAccount": stack.account },
      },
    }),
  );
  topic.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return topic;
}

function createAlertDeadLetterQueue(scope: Construct): Queue {
  const queue = new Queue(scope, alertDeadLetterQueue.constructId, {
    // SQS-managed keys, because SNS cannot write to a queue encrypted with the AWS-managed KMS key.
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const isTheDeadLetterQueue =
    "This queue is itself the dead-letter queue of the alert deliveries (SNS subscription redrive policies); a dead-letter queue for it would only move the same failed messages once more.";
  Validations.of(queue).acknowledge(
    { id: "AwsSolutions-SQS3", reason: isTheDeadLetterQueue },
    { id: "Serverless-SQSRedrivePolicy", reason: isTheDeadLetterQueue },
  );
  return queue;
}

/**
 * Created empty: the webhook URL is Slack's to issue, so the operator puts it in after the first
 * deploy, and until then the Slack deliveries fail into the alert dead-letter queue instead of
 * posting to a made-up URL.
 */
function createSlackWebhookSecret(scope: Construct): Secret {
  const secret = new Secret(scope, slackWebhookSecret.constructId, {
    description: "DriftWatch Slack incoming-webhook URL (put it in with put-secret-value)",
    removalPolicy: RemovalPolicy.RETAIN,
  });
  // CDK generates a random value when none is given; a secret without either starts with no version.
  (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride("GenerateSecretString");
  Validations.of(secret).acknowledge({
    id: "AwsSolutions-SMG4",
    reason:
      "The value is a Slack incoming-webhook URL, which only Slack can issue: there is nothing a rotation Lambda could rotate it to. Replace it by hand with `aws secretsmanager put-secret-value` when Slack reissues it.",
  });
  return secret;
}
