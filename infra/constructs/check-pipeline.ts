import { Arn, ArnFormat, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import { type Alarm, MathExpression, Stats } from "aws-cdk-lib/aws-cloudwatch";
import { Rule } from "aws-cdk-lib/aws-events";
import { SqsQueue } from "aws-cdk-lib/aws-events-targets";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import { ScheduleGroup } from "aws-cdk-lib/aws-scheduler";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import {
  DefinitionBody,
  DistributedMap,
  JitterType,
  JsonPath,
  LogLevel,
  type RetryProps,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
} from "aws-cdk-lib/aws-stepfunctions";
import { LambdaInvoke } from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import { dataBucket } from "#shared/aws/resources";
import { SCHEDULE_ENV, scheduleName } from "#shared/monitoring/model-schedules";
import { ALARM_PERIOD, deadLetterQueueAlarm, operationsAlarm } from "../alarms.ts";
import type { DataStack } from "../data-stack.ts";
import { createHandlerFunction, type HandlerFunctionProps } from "../handler-function.ts";
import { wildcardResourceFinding } from "../nag-findings.ts";
import { modelConfigStream } from "./model-config-stream.ts";
import type { MonitoringFunction } from "./monitoring-function.ts";

/** The scheduled check's steps, run by the state machine in this order. */
export const CHECK_STEP_HANDLERS = {
  plan: "plan-check",
  summarize: "summarize-batches",
  finish: "finish-check",
} as const;
/** Keeps each model's schedule in step with its config, from the models table's stream. */
export const SCHEDULE_SYNC_HANDLER = "sync-model-schedule";
export const checkPipelineHandlers: readonly string[] = [
  ...Object.values(CHECK_STEP_HANDLERS),
  SCHEDULE_SYNC_HANDLER,
];

/** Groups summarised at once: 40 concurrent Lambdas, well under an account's default of 1,000. */
const MAP_CONCURRENCY = 40;
/** Well above plan + map waves + finish; an execution stuck longer fails as TIMED_OUT, visibly. */
export const CHECK_TIMEOUT = Duration.hours(1);
/** A check this slow still finished, but the next bigger window may not: time to look before it times out. */
export const SLOW_CHECK_DURATION = Duration.minutes(45);
/** Failed deliveries stay in a dead-letter queue for SQS's maximum. */
const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Errors of the Lambda service itself (not of the function), which a retry with backoff fixes;
 * a function's own failure is not retried, because the finish step is not idempotent (it may take
 * the window as the first baseline and removes the check's scratch objects).
 */
const LAMBDA_SERVICE_RETRY: RetryProps = {
  errors: [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
  ],
  interval: Duration.seconds(2),
  backoffRate: 2,
  maxAttempts: 6,
  jitterStrategy: JitterType.FULL,
};

const INVOKED_BY_STATE_MACHINE =
  "Invoked synchronously (RequestResponse) by the check state machine, which retries Lambda service errors and fails the execution otherwise; a failed execution goes to the check dead-letter queue. Lambda only routes asynchronous invocations to a dead-letter target.";
const IS_A_DEAD_LETTER_QUEUE =
  "This queue is itself a dead-letter destination (of EventBridge Scheduler, the stream mapping or the failed-check rule); a dead-letter queue for it would only move the same failed messages once more.";

export type CheckPipelineProps = HandlerFunctionProps;

/**
 * Scheduled checks: one EventBridge Scheduler schedule per model (kept in step with the models
 * table by a stream-fed function) starts a Step Functions workflow that plans the check, summarises
 * the window's log objects in a distributed map (each group in its own Lambda) and merges and
 * finishes it. A check that cannot start, or fails, ends up in the check dead-letter queue.
 */
export class CheckPipeline extends Construct {
  readonly functions: ReadonlyMap<string, MonitoringFunction>;
  readonly stateMachine: StateMachine;
  readonly scheduleGroup: ScheduleGroup;
  /** The role schedules start the state machine with. */
  readonly schedulerRole: Role;
  /** Checks Scheduler could not start, and executions that failed or timed out. */
  readonly checkDeadLetterQueue: Queue;
  /** Stream batches the schedule sync gave up on: a model whose schedule may be out of date. */
  readonly scheduleSyncDeadLetterQueue: Queue;
  readonly failedCheckRule: Rule;
  /** Fire on a check that failed or timed out, and on one that took longer than {@link SLOW_CHECK_DURATION}. */
  readonly checkAlarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: CheckPipelineProps) {
    super(scope, id);

    this.functions = new Map(
      checkPipelineHandlers.map((handler) => [handler, createHandlerFunction(this, handler, props)]),
    );
    for (const handler of Object.values(CHECK_STEP_HANDLERS)) {
      Validations.of(this.functionFor(handler).lambda).acknowledge({
        id: "Serverless-LambdaDLQ",
        reason: INVOKED_BY_STATE_MACHINE,
      });
    }

    const alarmTopic = props.data.operationsTopic;
    this.checkDeadLetterQueue = createDeadLetterQueue(this, "CheckDeadLetterQueue");
    deadLetterQueueAlarm(
      this.checkDeadLetterQueue,
      alarmTopic,
      "A scheduled check that EventBridge Scheduler could not start, or that failed or timed out,",
    );
    this.scheduleSyncDeadLetterQueue = createDeadLetterQueue(this, "ScheduleSyncDeadLetterQueue");
    deadLetterQueueAlarm(
      this.scheduleSyncDeadLetterQueue,
      alarmTopic,
      "A batch of model config changes whose check schedules could not be synced (resync with the ScheduleSyncFunctionName output)",
    );
    this.stateMachine = this.createStateMachine(props.data);
    this.failedCheckRule = this.reportFailedChecks();
    this.checkAlarms = this.alarmOnChecks(alarmTopic);

    this.scheduleGroup = new ScheduleGroup(this, "ScheduleGroup", {
      scheduleGroupName: `${Stack.of(this).stackName}-schedules`,
      // Schedules are derived from the models table; removing the group removes them with it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.schedulerRole = this.createSchedulerRole();
    this.syncSchedulesFromStream(props.data);
  }

  private functionFor(handler: string): MonitoringFunction {
    const fn = this.functions.get(handler);
    if (!fn) throw new Error(`No function was created for handler "${handler}".`);
    return fn;
  }

  private createStateMachine(data: DataStack): StateMachine {
    const invoke = (id: string, handler: string) =>
      new LambdaInvoke(this, id, {
        lambdaFunction: this.functionFor(handler).lambda,
        outputPath: "$.Payload",
        retryOnServiceExceptions: false,
      }).addRetry(LAMBDA_SERVICE_RETRY);

    // The plan's output ({modelId, checkId, window, groupCount, items}) passes through the map
    // unchanged (its results are discarded: the partials travel through S3) into the finish step.
    const summarizeGroups = new DistributedMap(this, "SummarizeGroups", {
      itemReader: new S3JsonItemReader({
        bucketNamePath: JsonPath.stringAt("$.items.bucket"),
        key: JsonPath.stringAt("$.items.key"),
      }),
      maxConcurrency: MAP_CONCURRENCY,
      mapExecutionType: StateMachineType.EXPRESS,
      // No tolerated failures (Step Functions' default): one failed group fails the check.
      resultPath: JsonPath.DISCARD,
    }).itemProcessor(invoke("SummarizeGroup", CHECK_STEP_HANDLERS.summarize));

    const definition = invoke("Plan", CHECK_STEP_HANDLERS.plan)
      .next(summarizeGroups)
      .next(invoke("Finish", CHECK_STEP_HANDLERS.finish));

    const logGroup = new LogGroup(this, "StateMachineLogs", {
      retention: RetentionDays.ONE_MONTH,
      // Kept after the stateless stack is deleted, for audit; retention still empties it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stateMachine = new StateMachine(this, "StateMachine", {
      comment: "DriftWatch scheduled check: plan, summarise each group of log objects, finish",
      definitionBody: DefinitionBody.fromChainable(definition),
      stateMachineType: StateMachineType.STANDARD,
      timeout: CHECK_TIMEOUT,
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });

    // The item reader's bucket comes from the plan's output, so CDK cannot scope its read: it is
    // granted here, for the plan's items under partials/ only.
    const partials = `${data.dataBucketArnExport.importValue}/${dataBucket.partialsPrefix}*`;
    stateMachine.addToRolePolicy(new PolicyStatement({ actions: ["s3:GetObject"], resources: [partials] }));
    Validations.of(stateMachine).acknowledge(
      {
        id: wildcardResourceFinding(this, partials),
        reason:
          "The distributed map reads its items from partials/<checkId>/items.json, a key made per check: a prefix wildcard is the narrowest grant S3 allows.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "X-Ray (PutTraceSegments, GetSamplingRules...) and the CloudWatch Logs log delivery APIs Step Functions logging uses (CreateLogDelivery...) support no resource-level permissions.",
      },
      ...Object.values(CHECK_STEP_HANDLERS).map((handler) => ({
        id: wildcardResourceFinding(this, `${this.functionFor(handler).lambda.functionArn}:*`),
        reason: `CDK's LambdaInvoke also grants the versions and aliases of the ${handler} function (<arn>:*); the definition invokes the unqualified function only, and no other function is reachable.`,
      })),
      ...childExecutionArns(stateMachine).map((executions) => ({
        id: wildcardResourceFinding(this, executions),
        reason:
          "The distributed map describes, stops and redrives the child executions it starts, whose names Step Functions generates: a wildcard on this state machine's executions is the narrowest grant.",
      })),
    );
    return stateMachine;
  }

  private alarmOnChecks(topic: ITopic): Alarm[] {
    const failed = new MathExpression({
      expression: "failed + timedOut",
      usingMetrics: {
        failed: this.stateMachine.metricFailed({ statistic: Stats.SUM }),
        timedOut: this.stateMachine.metricTimedOut({ statistic: Stats.SUM }),
      },
      period: ALARM_PERIOD,
      label: "Failed or timed-out checks",
    });
    return [
      operationsAlarm(this, "FailedChecksAlarm", topic, {
        name: "check-failed",
        description:
          "A scheduled check failed or timed out: its execution (ARN and cause) is in the check dead-letter queue and in the state machine's execution history.",
        metric: failed,
      }),
      operationsAlarm(this, "SlowChecksAlarm", topic, {
        name: "check-slow",
        description: `A check ran longer than ${SLOW_CHECK_DURATION.toMinutes()} minutes, close to its ${CHECK_TIMEOUT.toMinutes()}-minute timeout: see the slowest step in its execution history (a model logging more per window needs a longer schedule or more map concurrency).`,
        metric: this.stateMachine.metricTime({ statistic: Stats.MAXIMUM, period: ALARM_PERIOD }),
        threshold: SLOW_CHECK_DURATION.toMilliseconds(),
      }),
    ];
  }

  /** Failed and timed-out executions, with their ARN and cause, land in the check dead-letter queue. */
  private reportFailedChecks(): Rule {
    const rule = new Rule(this, "FailedCheckRule", {
      description: "DriftWatch scheduled checks that failed or timed out",
      eventPattern: {
        source: ["aws.states"],
        detailType: ["Step Functions Execution Status Change"],
        detail: {
          stateMachineArn: [this.stateMachine.stateMachineArn],
          status: ["FAILED", "TIMED_OUT"],
        },
      },
      targets: [new SqsQueue(this.checkDeadLetterQueue, { maxEventAge: Duration.hours(24) })],
    });
    Validations.of(rule).acknowledge({
      id: "Serverless-EventBusDLQ",
      reason:
        "The rule's only target is the check dead-letter queue itself; EventBridge retries a failed delivery for 24 hours, and a second queue behind it would fail for the same reasons.",
    });
    return rule;
  }

  /** Assumable by EventBridge Scheduler for this group's schedules only; may start checks, and report those it could not. */
  private createSchedulerRole(): Role {
    const stack = Stack.of(this);
    const role = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com", {
        conditions: {
          StringEquals: {
            "aws:SourceAccount": stack.account,
            "aws:SourceArn": this.scheduleGroup.scheduleGroupArn,
          },
        },
      }),
      description: "DriftWatch check schedules: start the check state machine",
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ["states:StartExecution"],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ["sqs:SendMessage"], resources: [this.checkDeadLetterQueue.queueArn] }),
    );
    return role;
  }

  private syncSchedulesFromStream(data: DataStack): void {
    const syncFunction = this.functionFor(SCHEDULE_SYNC_HANDLER);
    const sync = syncFunction.lambda;
    const schedules = Stack.of(this).formatArn({
      service: "scheduler",
      resource: "schedule",
      resourceName: `${this.scheduleGroup.scheduleGroupName}/${scheduleName("*")}`,
    });
    sync.addToRolePolicy(
      new PolicyStatement({
        // The sync calls Update, then Create when the schedule does not exist yet, or Delete.
        actions: ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"],
        resources: [schedules],
      }),
    );
    sync.addToRolePolicy(
      new PolicyStatement({
        actions: ["iam:PassRole"],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
      }),
    );
    sync.addEnvironment(SCHEDULE_ENV.group, this.scheduleGroup.scheduleGroupName);
    sync.addEnvironment(SCHEDULE_ENV.target, this.stateMachine.stateMachineArn);
    sync.addEnvironment(SCHEDULE_ENV.role, this.schedulerRole.roleArn);
    sync.addEnvironment(SCHEDULE_ENV.deadLetterQueue, this.checkDeadLetterQueue.queueArn);

    // Existing models get their schedule when their config is next written, or by a resync.
    sync.addEventSource(modelConfigStream(data, this.scheduleSyncDeadLetterQueue));

    Validations.of(syncFunction).acknowledge(
      {
        id: "Serverless-LambdaDLQ",
        reason:
          "Invoked by the models table's stream mapping, never asynchronously: a batch that still fails after its retries goes to the mapping's on-failure destination, the schedule-sync dead-letter queue.",
      },
      {
        id: wildcardResourceFinding(this, schedules),
        reason:
          "One schedule per model, named driftwatch-<modelId> and created at run time, in this pipeline's schedule group only: a name-prefix wildcard is the narrowest grant.",
      },
      {
        id: "AwsSolutions-IAM5[Resource::*]",
        reason:
          "Besides X-Ray, the stream mapping's dynamodb:ListStreams, which supports no resource-level permission; reading the records is granted on the models table's stream alone.",
      },
    );
  }
}

function createDeadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    // SQS-managed keys: EventBridge cannot deliver to a queue encrypted with the AWS-managed KMS key.
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
    // Failed checks are evidence; they outlive the stateless stack, and the retention empties them.
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(queue).acknowledge(
    { id: "AwsSolutions-SQS3", reason: IS_A_DEAD_LETTER_QUEUE },
    { id: "Serverless-SQSRedrivePolicy", reason: IS_A_DEAD_LETTER_QUEUE },
  );
  return queue;
}

/**
 * The executions CDK grants a distributed map's role, as its StateGraph builds them: describe and
 * stop `execution:<name>:*`, redrive `execution:<name>/*:*` (the map runs' children).
 */
function childExecutionArns(stateMachine: StateMachine): string[] {
  const { resourceName } = Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME);
  const executions = (name: string) =>
    Stack.of(stateMachine).formatArn({
      service: "states",
      resource: "execution",
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  return [executions(`${resourceName}:*`), executions(`${resourceName}/*:*`)];
}
