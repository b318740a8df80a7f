import { describe, expect, it } from "vitest";
import { CHECK_STEP_HANDLERS, checkPipelineHandlers } from "../../infra/constructs/check-pipeline.ts";
import { handlerSpecFor } from "../../infra/handler-specs.ts";
import { API_URL_ENV_VAR, dataBucket, modelsTable, RETENTION_ENV_VAR } from "../../shared/aws/resources.ts";
import { SCHEDULE_ENV } from "../../shared/monitoring/model-schedules.ts";
import { actionsOf, arnOf, dataAccessOf, statementsOfRole } from "./support/policies.ts";
import { logicalIdOf, resourceOf, resourcesOfType, synthDriftWatch } from "./support/synth.ts";

const driftWatch = synthDriftWatch();
const { checks, data, checksTemplate } = driftWatch;
const { pipeline } = checks;

function lambdaOf(handler: string) {
  const fn = pipeline.functions.get(handler);
  if (!fn) throw new Error(`no function for ${handler}`);
  return fn.lambda;
}

const functionOf = (handler: string) => resourceOf(checksTemplate, logicalIdOf(checks, lambdaOf(handler)));
const onlyResourceOfType = (type: string) => {
  const found = Object.values(resourcesOfType(checksTemplate, type));
  expect(found, type).toHaveLength(1);
  return found[0] as NonNullable<(typeof found)[number]>;
};

const stateMachineId = logicalIdOf(checks, pipeline.stateMachine);
const stateMachine = resourceOf(checksTemplate, stateMachineId);
const checkQueueArn = arnOf(checks, pipeline.checkDeadLetterQueue);
const syncQueueArn = arnOf(checks, pipeline.scheduleSyncDeadLetterQueue);

interface TaskState {
  Type: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  OutputPath?: string;
  ResultPath?: string | null;
  Next?: string;
  End?: boolean;
  Retry?: { ErrorEquals: string[]; IntervalSeconds: number; MaxAttempts: number; BackoffRate: number }[];
  [key: string]: unknown;
}

interface StateMachineDefinition {
  StartAt: string;
  TimeoutSeconds?: number;
  States: Record<string, TaskState>;
}

/**
 * The definition as JSON, each CloudFormation reference spliced in as `${LogicalId}` (Ref) or
 * `${LogicalId.Attribute}` (GetAtt), the way cdk-nag and the console show them.
 */
function definition(): StateMachineDefinition {
  const parts = (stateMachine.Properties.DefinitionString as { "Fn::Join": [string, unknown[]] })[
    "Fn::Join"
  ][1];
  const text = parts
    .map((part) => {
      if (typeof part === "string") return part;
      const { Ref, "Fn::GetAtt": getAtt } = part as { Ref?: string; "Fn::GetAtt"?: [string, string] };
      if (Ref) return `\${${Ref}}`;
      if (getAtt) return `\${${getAtt[0]}.${getAtt[1]}}`;
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join("");
  return JSON.parse(text) as StateMachineDefinition;
}

/** The statements of the queue policy of one queue. */
function queuePolicyStatements(queueId: string): unknown[] {
  const policy = Object.values(resourcesOfType(checksTemplate, "AWS::SQS::QueuePolicy")).find(
    (candidate) => JSON.stringify(candidate.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
  );
  if (!policy) throw new Error(`no queue policy for ${queueId}`);
  return (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
}

function mapState(): TaskState {
  const map = definition().States.SummarizeGroups;
  if (!map) throw new Error("no SummarizeGroups state");
  return map;
}

const functionArnRef = (handler: string) => `\${${logicalIdOf(checks, lambdaOf(handler))}.Arn}`;
const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
];

describe("functions", () => {
  it("one per step of the check and one for the schedule sync, and no other", () => {
    expect([...pipeline.functions.keys()].sort()).toEqual([...checkPipelineHandlers].sort());
    expect(Object.keys(resourcesOfType(checksTemplate, "AWS::Lambda::Function"))).toHaveLength(
      checkPipelineHandlers.length,
    );
  });

  it.each(checkPipelineHandlers)(
    "%s runs Node 22 on arm64 with tracing and the sizing of its spec",
    (handler) => {
      const { Properties } = functionOf(handler);
      expect(Properties).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        TracingConfig: { Mode: "Active" },
        Environment: { Variables: { [RETENTION_ENV_VAR]: "90" } },
      });
      expect(Properties.MemorySize).toBe(handlerSpecFor(handler).memorySize ?? 512);
      expect(Properties.Timeout).toBe(handlerSpecFor(handler).timeout?.toSeconds() ?? 10);
    },
  );

  it("sizes the steps for their work: 2 GB for 4.5 minutes per group (inside the Express child's 5), 4 GB for 10 minutes to merge", () => {
    expect(functionOf(CHECK_STEP_HANDLERS.summarize).Properties).toMatchObject({
      MemorySize: 2048,
      Timeout: 270,
    });
    expect(functionOf(CHECK_STEP_HANDLERS.finish).Properties).toMatchObject({
      MemorySize: 4096,
      Timeout: 600,
    });
  });

  it("no role carries an AWS-managed policy", () => {
    for (const role of Object.values(resourcesOfType(checksTemplate, "AWS::IAM::Role"))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe("check state machine", () => {
  it("is a standard workflow with a timeout, X-Ray tracing and every event logged to a month-long log group", () => {
    expect(stateMachine.Properties).toMatchObject({
      StateMachineType: "STANDARD",
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: "ALL", IncludeExecutionData: true },
    });
    expect(definition().TimeoutSeconds).toBe(3600);
    const [destination] = (
      stateMachine.Properties.LoggingConfiguration as {
        Destinations: { CloudWatchLogsLogGroup: { LogGroupArn: { "Fn::GetAtt": [string, string] } } }[];
      }
    ).Destinations;
    const logGroup = resourceOf(
      checksTemplate,
      destination?.CloudWatchLogsLogGroup.LogGroupArn["Fn::GetAtt"][0] ?? "",
    );
    expect(logGroup.Type).toBe("AWS::Logs::LogGroup");
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  it("plans with the execution input, then maps, then finishes with the plan's output", () => {
    const { StartAt, States } = definition();
    expect(StartAt).toBe("Plan");
    expect(Object.keys(States).sort()).toEqual(["Finish", "Plan", "SummarizeGroups"]);
    expect(States.Plan).toMatchObject({
      Type: "Task",
      Parameters: { FunctionName: functionArnRef(CHECK_STEP_HANDLERS.plan), "Payload.$": "$" },
      OutputPath: "$.Payload",
      Next: "SummarizeGroups",
    });
    expect(States.Plan?.Resource).toMatch(/:states:::lambda:invoke$/);
    // The map's results are discarded, so the plan's output reaches the finish step unchanged.
    expect(States.SummarizeGroups).toMatchObject({ ResultPath: null, Next: "Finish" });
    expect(States.Finish).toMatchObject({
      Type: "Task",
      Parameters: { FunctionName: functionArnRef(CHECK_STEP_HANDLERS.finish), "Payload.$": "$" },
      OutputPath: "$.Payload",
      End: true,
    });
  });

  it("summarises in a DISTRIBUTED map of express children, reading its items from the plan's S3 object", () => {
    const map = mapState();
    expect(map).toMatchObject({
      Type: "Map",
      MaxConcurrency: 40,
      ItemReader: {
        ReaderConfig: { InputType: "JSON" },
        Parameters: { "Bucket.$": "$.items.bucket", "Key.$": "$.items.key" },
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "EXPRESS" },
        StartAt: "SummarizeGroup",
      },
    });
    expect((map.ItemReader as { Resource: string }).Resource).toMatch(/:states:::s3:getObject$/);
    // Absent means Step Functions' default of zero: one failed group fails the check.
    expect(map.ToleratedFailurePercentage).toBeUndefined();
    expect(map.ToleratedFailureCount).toBeUndefined();
    const processor = (map.ItemProcessor as { States: Record<string, TaskState> }).States;
    expect(Object.keys(processor)).toEqual(["SummarizeGroup"]);
    expect(processor.SummarizeGroup).toMatchObject({
      Type: "Task",
      Parameters: { FunctionName: functionArnRef(CHECK_STEP_HANDLERS.summarize), "Payload.$": "$" },
      OutputPath: "$.Payload",
      End: true,
    });
  });

  it("retries every Lambda step on Lambda service errors and throttling, with backoff, and on nothing else", () => {
    const { States } = definition();
    const map = mapState().ItemProcessor as { States: Record<string, TaskState> };
    const tasks = [States.Plan, map.States.SummarizeGroup, States.Finish];
    for (const task of tasks) {
      expect(task?.Retry).toHaveLength(1);
      const [retry] = task?.Retry ?? [];
      expect(retry?.ErrorEquals.sort()).toEqual([...LAMBDA_SERVICE_ERRORS].sort());
      expect(retry?.BackoffRate).toBeGreaterThan(1);
      expect(retry?.MaxAttempts).toBeGreaterThan(1);
    }
    expect(States.SummarizeGroups?.Retry).toBeUndefined();
  });

  it("may invoke its three functions only, read the map's items under partials/ and start its own children", () => {
    const statements = statementsOfRole(checks, checksTemplate, pipeline.stateMachine.role);
    const invoked = statements
      .filter((statement) => actionsOf(statement).includes("lambda:InvokeFunction"))
      .flatMap((statement) => {
        expect(actionsOf(statement)).toEqual(["lambda:InvokeFunction"]);
        return [statement.Resource].flat();
      });
    const steps = Object.values(CHECK_STEP_HANDLERS);
    expect(invoked).toHaveLength(steps.length * 2);
    for (const handler of steps) {
      const arn = arnOf(checks, lambdaOf(handler));
      expect(invoked).toContainEqual(arn);
      expect(invoked).toContainEqual({ "Fn::Join": ["", [arn, ":*"]] });
    }
    expect(dataAccessOf(statements, data.dataBucketArnExport.exportName)).toEqual({
      listPrefixes: [],
      objects: { [dataBucket.partialsPrefix]: ["s3:GetObject"] },
    });
    const starts = statements.filter((statement) => actionsOf(statement).includes("states:StartExecution"));
    expect(starts.map((statement) => statement.Resource)).toEqual([{ Ref: stateMachineId }]);
    const others = statements
      .flatMap(actionsOf)
      .filter((action) => !/^(lambda:InvokeFunction|s3:GetObject|states:|logs:|xray:)/.test(action));
    expect(others).toEqual([]);
  });
});

describe("schedules", () => {
  const schedulerRoleId = logicalIdOf(checks, pipeline.schedulerRole);
  const groupId = logicalIdOf(checks, pipeline.scheduleGroup);

  it("live in one schedule group of their own, removed with the stack", () => {
    const group = resourceOf(checksTemplate, groupId);
    expect(group.Type).toBe("AWS::Scheduler::ScheduleGroup");
    expect(group.Properties.Name).toBe(pipeline.scheduleGroup.scheduleGroupName);
    expect(group.DeletionPolicy).toBe("Delete");
  });

  it("run with a role only EventBridge Scheduler can assume, for this account's group", () => {
    const role = resourceOf(checksTemplate, schedulerRoleId);
    expect((role.Properties.AssumeRolePolicyDocument as { Statement: unknown[] }).Statement).toEqual([
      {
        Action: "sts:AssumeRole",
        Effect: "Allow",
        Principal: { Service: "scheduler.amazonaws.com" },
        Condition: {
          StringEquals: {
            "aws:SourceAccount": { Ref: "AWS::AccountId" },
            "aws:SourceArn": { "Fn::GetAtt": [groupId, "Arn"] },
          },
        },
      },
    ]);
  });

  it("whose role may only start the check state machine and report to the check dead-letter queue", () => {
    const statements = statementsOfRole(checks, checksTemplate, pipeline.schedulerRole);
    expect(statements).toEqual([
      { Action: "states:StartExecution", Effect: "Allow", Resource: { Ref: stateMachineId } },
      { Action: "sqs:SendMessage", Effect: "Allow", Resource: checkQueueArn },
    ]);
  });
});

describe("schedule sync", () => {
  const sync = lambdaOf("sync-model-schedule");
  const statements = statementsOfRole(checks, checksTemplate, sync.role);
  const mapping = onlyResourceOfType("AWS::Lambda::EventSourceMapping");

  it("reads the models table's stream from its end, ten records at a time, halving a failing batch", () => {
    const streamExport = Object.values(
      driftWatch.dataTemplate.toJSON().Outputs as Record<
        string,
        { Value: unknown; Export: { Name: string } }
      >,
    ).find(
      (output) =>
        JSON.stringify(output.Value) ===
        JSON.stringify({ "Fn::GetAtt": [logicalIdOf(data, data.tableFor(modelsTable)), "StreamArn"] }),
    );
    expect(streamExport).toBeDefined();
    expect(mapping.Properties).toMatchObject({
      FunctionName: { Ref: logicalIdOf(checks, sync) },
      EventSourceArn: { "Fn::ImportValue": streamExport?.Export.Name },
      StartingPosition: "LATEST",
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
    });
    // A failure fails the batch (the handler reports no partial failures).
    expect(mapping.Properties.FunctionResponseTypes).toBeUndefined();
  });

  it("sends a batch that exhausted its retries to the schedule-sync dead-letter queue", () => {
    expect(mapping.Properties.DestinationConfig).toEqual({ OnFailure: { Destination: syncQueueArn } });
    const sends = statements.filter((statement) => actionsOf(statement).includes("sqs:SendMessage"));
    expect(sends.map((statement) => statement.Resource)).toEqual([syncQueueArn]);
  });

  it("may manage only the driftwatch-* schedules of its group, and pass only the scheduler role to Scheduler", () => {
    const manages = statements.filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith("scheduler:")),
    );
    expect(manages).toHaveLength(1);
    expect(actionsOf(manages[0] as (typeof manages)[number]).sort()).toEqual([
      "scheduler:CreateSchedule",
      "scheduler:DeleteSchedule",
      "scheduler:UpdateSchedule",
    ]);
    expect(manages[0]?.Resource).toEqual({
      "Fn::Join": [
        "",
        [
          "arn:",
          { Ref: "AWS::Partition" },
          ":scheduler:",
          { Ref: "AWS::Region" },
          ":",
          { Ref: "AWS::AccountId" },
          `:schedule/${pipeline.scheduleGroup.scheduleGroupName}/driftwatch-*`,
        ],
      ],
    });
    const passes = statements.filter((statement) => actionsOf(statement).includes("iam:PassRole"));
    expect(passes).toEqual([
      {
        Action: "iam:PassRole",
        Effect: "Allow",
        Resource: arnOf(checks, pipeline.schedulerRole),
        Condition: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
      },
    ]);
  });

  it("learns the group, state machine, scheduler role and dead-letter queue the schedules use", () => {
    const variables = (
      functionOf("sync-model-schedule").Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables).toMatchObject({
      [SCHEDULE_ENV.group]: pipeline.scheduleGroup.scheduleGroupName,
      [SCHEDULE_ENV.target]: { Ref: stateMachineId },
      [SCHEDULE_ENV.role]: arnOf(checks, pipeline.schedulerRole),
      [SCHEDULE_ENV.deadLetterQueue]: checkQueueArn,
    });
  });
});

describe("dead-letter queues", () => {
  it.each([
    ["check", () => pipeline.checkDeadLetterQueue],
    ["schedule-sync", () => pipeline.scheduleSyncDeadLetterQueue],
  ])("the %s queue is encrypted, TLS-only, keeps messages 14 days and is retained", (_name, queueOf) => {
    const queueId = logicalIdOf(checks, queueOf());
    const queue = resourceOf(checksTemplate, queueId);
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(queue.DeletionPolicy).toBe("Retain");
    expect(queuePolicyStatements(queueId)).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "sqs:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
  });

  it("receives every failed or timed-out check execution, through an EventBridge rule", () => {
    const rule = resourceOf(checksTemplate, logicalIdOf(checks, pipeline.failedCheckRule));
    expect(rule.Properties.EventPattern).toEqual({
      source: ["aws.states"],
      "detail-type": ["Step Functions Execution Status Change"],
      detail: { stateMachineArn: [{ Ref: stateMachineId }], status: ["FAILED", "TIMED_OUT"] },
    });
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: checkQueueArn })]);
    expect(queuePolicyStatements(logicalIdOf(checks, pipeline.checkDeadLetterQueue))).toContainEqual(
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Condition: { ArnEquals: { "aws:SourceArn": arnOf(checks, pipeline.failedCheckRule) } },
      }),
    );
  });
});

describe("links to the API", () => {
  it("tells the finish step the API's URL, imported from the API stack, for the links in its alert messages", () => {
    const apiOutputs = driftWatch.apiTemplate.toJSON().Outputs as Record<
      string,
      { Value: unknown; Export?: { Name: string } }
    >;
    const endpointExport = Object.values(apiOutputs).find(
      (output) =>
        output.Export &&
        JSON.stringify(output.Value) ===
          JSON.stringify({ "Fn::GetAtt": [logicalIdOf(driftWatch.api, driftWatch.api.api), "ApiEndpoint"] }),
    );
    expect(endpointExport?.Export).toBeDefined();
    for (const handler of checkPipelineHandlers) {
      const variables = (functionOf(handler).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(variables[API_URL_ENV_VAR], handler).toEqual(
        handler === CHECK_STEP_HANDLERS.finish
          ? { "Fn::ImportValue": endpointExport?.Export?.Name }
          : undefined,
      );
    }
  });

  it("without a cycle: the check stack depends on the API stack, which depends on the data stack alone", () => {
    expect(checks.dependencies).toContain(driftWatch.api);
    expect(driftWatch.api.dependencies).toEqual([data]);
    expect(driftWatch.alerts.dependencies).toEqual([data]);
  });
});

describe("outputs", () => {
  it("outputs CheckStateMachineArn", () => {
    checksTemplate.hasOutput("CheckStateMachineArn", { Value: { Ref: stateMachineId } });
  });
});
