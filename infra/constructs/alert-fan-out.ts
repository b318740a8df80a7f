import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { type Alarm, Metric, Stats } from "aws-cdk-lib/aws-cloudwatch";
import { PolicyStatement } from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Subscription, SubscriptionFilter, SubscriptionProtocol } from "aws-cdk-lib/aws-sns";
import { SqsSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ROLLBACK_ALLOWED_ENV_VAR } from "#shared/alerts/rollback/grants";
import {
  ALERT_EMAIL_ENV_VAR,
  type AlertSubscriptionQueue,
  alertSubscriptionQueues,
  emailFilterPolicy,
  rollbackQueue,
  slackDeliveryQueue,
} from "#shared/aws/resources";
import { ALARM_PERIOD, deadLetterQueueAlarm, operationsAlarm } from "../alarms.ts";
import type { RollbackTargets } from "../alert-context.ts";
import { createHandlerFunction, type HandlerFunctionProps } from "../handler-function.ts";
import { handlerSpecFor } from "../handler-specs.ts";
import { wildcardResourceFinding } from "../nag-findings.ts";
import { METRICS_NAMESPACE, SERVICE_NAME, SLACK_DELIVERY_FAILURES_METRIC } from "../published-metrics.ts";
import { modelConfigStream } from "./model-config-stream.ts";
import type { MonitoringFunction } from "./monitoring-function.ts";

/** Keeps each model's `alerts.emails` subscribed to the alerts topic, from the models table's stream. */
export const EMAIL_SUBSCRIPTION_SYNC_HANDLER = "sync-email-subscriptions";
export const alertFanOutHandlers: readonly string[] = [
  ...alertSubscriptionQueues.map((queue) => queue.handler),
  EMAIL_SUBSCRIPTION_SYNC_HANDLER,
];

/**
 * Slack takes about one message a second per webhook: two deliveries at a time (the least a mapping
 * allows) keep a burst of alerts from turning into a burst of 429s.
 */
const SLACK_MAX_CONCURRENCY = 2;
/** Failed stream batches stay in the dead-letter queue for SQS's maximum. */
const DEAD_LETTER_RETENTION = Duration.days(14);

const INVOKED_BY_QUEUE =
  "Invoked by its alert queue's event source mapping, never asynchronously: a message that keeps failing moves to the alert dead-letter queue through the queue's redrive policy.";
const SQS_MAPPING_HAS_NO_DESTINATION =
  "An SQS event source mapping takes no on-failure destination (only stream and Kafka sources do): the queue's redrive policy moves a message that failed its receives to the alert dead-letter queue.";

export interface AlertFanOutProps extends HandlerFunctionProps {
  /** What roll-back-model may change; IAM grants exactly these and nothing when all are empty. */
  readonly rollbackTargets: RollbackTargets;
  /** An address subscribed to every model's notifications of warning and above. */
  readonly alertEmail?: string;
}

/**
 * What happens after an alert is published: a queue per subscriber (Slack, rollback, retraining) on
 * the alerts topic, each with its filter policy and feeding its function one message at a time, the
 * models' email subscriptions kept in step with their configs, and the stack-level address. Every
 * subscription and every queue ends in the alert dead-letter queue, so no failed delivery is silent.
 */
export class AlertFanOut extends Construct {
  readonly functions: ReadonlyMap<string, MonitoringFunction>;
  /** The subscriber queues, by handler. */
  readonly queues: ReadonlyMap<string, Queue>;
  /** Stream batches the email sync gave up on: a model whose subscriptions may be out of date. */
  readonly emailSyncDeadLetterQueue: Queue;
  readonly alertEmailSubscription?: Subscription;
  /**
   * Fires on a failed Slack delivery attempt. It notifies the operations topic (email), since Slack
   * is the channel that is failing.
   */
  readonly slackDeliveryAlarm: Alarm;

  constructor(scope: Construct, id: string, props: AlertFanOutProps) {
    super(scope, id);
    const { data } = props;

    const functions = new Map<string, MonitoringFunction>();
    const queues = new Map<string, Queue>();
    for (const definition of alertSubscriptionQueues) {
      const fn = createHandlerFunction(this, definition.handler, props);
      const queue = this.createSubscriberQueue(definition, fn, props);
      functions.set(definition.handler, fn);
      queues.set(definition.handler, queue);
    }
    const rollback = functions.get(rollbackQueue.handler);
    if (rollback) grantRollbackTargets(rollback, props.rollbackTargets);

    this.emailSyncDeadLetterQueue = new Queue(this, "EmailSubscriptionSyncDeadLetterQueue", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      // Failed syncs are evidence; they outlive the stateless stack, and the retention empties them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const isTheEmailSyncDeadLetterQueue =
      "This queue is itself the on-failure destination of the email subscription sync's stream mapping; a dead-letter queue for it would only move the same failed batches once more.";
    Validations.of(this.emailSyncDeadLetterQueue).acknowledge(
      { id: "AwsSolutions-SQS3", reason: isTheEmailSyncDeadLetterQueue },
      { id: "Serverless-SQSRedrivePolicy", reason: isTheEmailSyncDeadLetterQueue },
    );
    deadLetterQueueAlarm(
      this.emailSyncDeadLetterQueue,
      data.operationsTopic,
      "A batch of model config changes whose email subscriptions could not be synced",
    );
    this.slackDeliveryAlarm = operationsAlarm(this, "SlackDeliveryFailuresAlarm", data.operationsTopic, {
      name: "slack-delivery-failures",
      description:
        "Slack did not take an alert message (after retries honouring Retry-After): see the deliver-slack log group. Until the SlackWebhookSecretArn secret holds the webhook URL, every delivery fails.",
      metric: new Metric({
        namespace: METRICS_NAMESPACE,
        metricName: SLACK_DELIVERY_FAILURES_METRIC,
        dimensionsMap: { service: SERVICE_NAME },
        statistic: Stats.SUM,
        period: ALARM_PERIOD,
      }),
    });
    const emailSync = createHandlerFunction(this, EMAIL_SUBSCRIPTION_SYNC_HANDLER, props);
    // The stack-level address is the stack's: the sync leaves its subscription alone.
    if (props.alertEmail) emailSync.lambda.addEnvironment(ALERT_EMAIL_ENV_VAR, props.alertEmail);
    emailSync.lambda.addEventSource(modelConfigStream(data, this.emailSyncDeadLetterQueue));
    Validations.of(emailSync).acknowledge(
      {
        id: "Serverless-LambdaDLQ",
        reason:
          "Invoked by the models table's stream mapping, never asynchronously: a batch that still fails after its retries goes to the mapping's on-failure destination, the email-sync dead-letter queue.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Besides X-Ray, the stream mapping's dynamodb:ListStreams, which supports no resource-level permission; reading the records is granted on the models table's stream alone.",
      },
    );
    functions.set(EMAIL_SUBSCRIPTION_SYNC_HANDLER, emailSync);

    if (props.alertEmail) {
      this.alertEmailSubscription = new Subscription(this, "AlertEmailSubscription", {
        topic: data.alertsTopic,
        protocol: SubscriptionProtocol.EMAIL,
        endpoint: props.alertEmail,
        filterPolicy: subscriptionFilterOf(emailFilterPolicy()),
        deadLetterQueue: data.alertDeadLetterQueue,
      });
    }

    this.functions = functions;
    this.queues = queues;
  }

  private createSubscriberQueue(
    definition: AlertSubscriptionQueue,
    fn: MonitoringFunction,
    props: AlertFanOutProps,
  ): Queue {
    const { data } = props;
    const timeout = handlerSpecFor(definition.handler).timeout ?? Duration.seconds(10);
    if (definition.visibilityTimeoutSeconds < 6 * timeout.toSeconds()) {
      throw new Error(
        `The visibility timeout of ${definition.constructId} must be at least 6 times the ${definition.handler} function's timeout.`,
      );
    }
    const queue = new Queue(this, definition.constructId, {
      // SQS-managed keys: SNS cannot write to a queue encrypted with the AWS-managed KMS key.
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(definition.visibilityTimeoutSeconds),
      deadLetterQueue: { queue: data.alertDeadLetterQueue, maxReceiveCount: definition.maxReceiveCount },
      // Notifications not yet acted on outlive a redeploy of the stateless stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The SNS envelope is kept (no raw delivery): the handlers read the notification out of it.
    data.alertsTopic.addSubscription(
      new SqsSubscription(queue, {
        filterPolicy: subscriptionFilterOf(definition.filterPolicy),
        deadLetterQueue: data.alertDeadLetterQueue,
      }),
    );
    fn.lambda.addEventSource(
      new SqsEventSource(queue, {
        // Alerts are rare and each one acts on the world: one per invocation, so a slow or failing
        // message never holds back or times out another.
        batchSize: 1,
        reportBatchItemFailures: true,
        maxConcurrency: definition === slackDeliveryQueue ? SLACK_MAX_CONCURRENCY : undefined,
      }),
    );
    Validations.of(fn.lambda).acknowledge(
      { id: "Serverless-LambdaDLQ", reason: INVOKED_BY_QUEUE },
      { id: "Serverless-LambdaEventSourceMappingDestination", reason: SQS_MAPPING_HAS_NO_DESTINATION },
    );
    return queue;
  }
}

/** A filter policy of shared/aws/resources.ts as CDK spells it: each attribute's allowed values. */
function subscriptionFilterOf(policy: Record<string, string[]>): Record<string, SubscriptionFilter> {
  return Object.fromEntries(
    Object.entries(policy).map(([attribute, values]) => [
      attribute,
      SubscriptionFilter.stringFilter({ allowlist: values }),
    ]),
  );
}

/**
 * Tells roll-back-model what it may change, and lets it change exactly that: the aliases of the
 * listed functions, the listed parameters, the variant weights of the listed endpoints. A name
 * ending in `*` is the operator's prefix, granted as such.
 */
function grantRollbackTargets(fn: MonitoringFunction, targets: RollbackTargets): void {
  const { lambda } = fn;
  const stack = Stack.of(fn);
  lambda.addEnvironment(ROLLBACK_ALLOWED_ENV_VAR, JSON.stringify(targets));
  const wildcards: { arn: string; reason: string }[] = [];
  const prefixReason = (kind: string, pattern: string) =>
    `The rollbackTargets context grants the ${kind} whose names start with "${pattern.slice(0, -1)}": the operator's own prefix, which roll-back-model enforces too before it calls AWS.`;

  if (targets.lambdaFunctions.length) {
    const resources = targets.lambdaFunctions.flatMap((name) => {
      const arn = name.startsWith("arn:")
        ? name
        : stack.formatArn({
            service: "lambda",
            resource: "function",
            resourceName: name,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          });
      if (name.endsWith("*")) {
        // The prefix covers the functions' qualified ARNs (<function>:<alias>) as well.
        wildcards.push({ arn, reason: prefixReason("Lambda functions (and their aliases)", name) });
        return [arn];
      }
      wildcards.push({
        arn: `${arn}:*`,
        reason: `The aliases of ${name}, which the rollbackTargets context allows: which alias a model moves is in its config, written after deploy, so the grant covers the function's qualified ARNs (<function>:<alias>) and no other function.`,
      });
      return [arn, `${arn}:*`];
    });
    lambda.addToRolePolicy(
      new PolicyStatement({
        // Reads the alias and the versions it may point back to, then moves it.
        actions: ["lambda:GetAlias", "lambda:UpdateAlias", "lambda:ListVersionsByFunction"],
        resources,
      }),
    );
  }
  if (targets.ssmParameters.length) {
    const resources = targets.ssmParameters.map((name) => {
      // A parameter's ARN names it without its leading slash: /models/churn is parameter/models/churn.
      const arn = stack.formatArn({
        service: "ssm",
        resource: "parameter",
        resourceName: name.replace(/^\//, ""),
      });
      if (name.endsWith("*")) wildcards.push({ arn, reason: prefixReason("SSM parameters", name) });
      return arn;
    });
    lambda.addToRolePolicy(new PolicyStatement({ actions: ["ssm:PutParameter"], resources }));
  }
  if (targets.sagemakerEndpoints.length) {
    const resources = targets.sagemakerEndpoints.map((name) => {
      // SageMaker's ARNs spell resource names in lower case, whatever case they were created in.
      const arn = stack.formatArn({
        service: "sagemaker",
        resource: "endpoint",
        resourceName: name.toLowerCase(),
      });
      if (name.endsWith("*")) wildcards.push({ arn, reason: prefixReason("SageMaker endpoints", name) });
      return arn;
    });
    lambda.addToRolePolicy(
      new PolicyStatement({ actions: ["sagemaker:UpdateEndpointWeightsAndCapacities"], resources }),
    );
  }
  if (wildcards.length) {
    Validations.of(fn).acknowledge(
      ...wildcards.map(({ arn, reason }) => ({ id: wildcardResourceFinding(fn, arn), reason })),
    );
  }
}
