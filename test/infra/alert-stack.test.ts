import { describe, expect, it } from "vitest";
import {
  alertFanOutHandlers,
  EMAIL_SUBSCRIPTION_SYNC_HANDLER,
} from "../../infra/constructs/alert-fan-out.ts";
import { handlerSpecFor } from "../../infra/handler-specs.ts";
import { ROLLBACK_ALLOWED_ENV_VAR } from "../../shared/alerts/rollback/grants.ts";
import {
  ALERT_EMAIL_ENV_VAR,
  alertSubscriptionQueues,
  emailFilterPolicy,
  modelsTable,
  RETENTION_ENV_VAR,
  rollbackQueue,
  slackDeliveryQueue,
} from "../../shared/aws/resources.ts";
import { actionsOf, arnOf, type Statement, statementsOfRole } from "./support/policies.ts";
import {
  logicalIdOf,
  resourceOf,
  resourcesOfType,
  type SynthesizedDriftWatch,
  synthDriftWatch,
  type TemplateResource,
} from "./support/synth.ts";

const driftWatch = synthDriftWatch();
const { alerts, data, alertsTemplate } = driftWatch;
const { fanOut } = alerts;

/** How the alert stack imports a value the data stack exports: `{"Fn::ImportValue": <export name>}`. */
function importedFromData(app: SynthesizedDriftWatch, value: unknown): { "Fn::ImportValue": string } {
  const outputs = app.dataTemplate.toJSON().Outputs as Record<
    string,
    { Value: unknown; Export?: { Name: string } }
  >;
  const exported = Object.values(outputs).find(
    (output) => output.Export && JSON.stringify(output.Value) === JSON.stringify(value),
  );
  if (!exported?.Export) throw new Error(`the data stack exports no ${JSON.stringify(value)}`);
  return { "Fn::ImportValue": exported.Export.Name };
}

const topicArn = importedFromData(driftWatch, { Ref: logicalIdOf(data, data.alertsTopic) });
const deadLetterQueueArn = importedFromData(driftWatch, arnOf(data, data.alertDeadLetterQueue));

function lambdaOf(app: SynthesizedDriftWatch, handler: string) {
  const fn = app.alerts.fanOut.functions.get(handler);
  if (!fn) throw new Error(`no function for ${handler}`);
  return fn.lambda;
}

const variablesOf = (app: SynthesizedDriftWatch, handler: string) =>
  (
    resourceOf(app.alertsTemplate, logicalIdOf(app.alerts, lambdaOf(app, handler))).Properties
      .Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;

const statementsOf = (app: SynthesizedDriftWatch, handler: string): Statement[] =>
  statementsOfRole(app.alerts, app.alertsTemplate, lambdaOf(app, handler).role);

function queueOf(handler: string) {
  const queue = fanOut.queues.get(handler);
  if (!queue) throw new Error(`no queue for ${handler}`);
  return queue;
}

const ofType = (app: SynthesizedDriftWatch, type: string) =>
  Object.values(resourcesOfType(app.alertsTemplate, type));

function queuePolicyStatements(queueId: string): unknown[] {
  const policy = ofType(driftWatch, "AWS::SQS::QueuePolicy").find(
    (candidate) => JSON.stringify(candidate.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
  );
  if (!policy) throw new Error(`no queue policy for ${queueId}`);
  return (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement;
}

const ROLLBACK_ACTIONS = /^(lambda|ssm|sagemaker):/;
const rollbackStatements = (app: SynthesizedDriftWatch) =>
  statementsOf(app, rollbackQueue.handler).filter((statement) =>
    actionsOf(statement).some((action) => ROLLBACK_ACTIONS.test(action)),
  );

/** `arn:${Partition}:<service>:${Region}:${AccountId}:<resource>` as CDK renders it without an environment. */
const arnIn = (service: string, resource: string) => ({
  "Fn::Join": [
    "",
    [
      "arn:",
      { Ref: "AWS::Partition" },
      `:${service}:`,
      { Ref: "AWS::Region" },
      ":",
      { Ref: "AWS::AccountId" },
      `:${resource}`,
    ],
  ],
});

describe("functions", () => {
  it("one per subscriber queue and one for the email subscription sync, and no other", () => {
    expect([...fanOut.functions.keys()].sort()).toEqual(
      [...alertSubscriptionQueues.map((queue) => queue.handler), EMAIL_SUBSCRIPTION_SYNC_HANDLER].sort(),
    );
    expect(ofType(driftWatch, "AWS::Lambda::Function")).toHaveLength(alertFanOutHandlers.length);
  });

  it.each(alertFanOutHandlers)(
    "%s runs Node 22 on arm64 with tracing and the sizing of its spec",
    (handler) => {
      const { Properties } = resourceOf(alertsTemplate, logicalIdOf(alerts, lambdaOf(driftWatch, handler)));
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

  it("no role carries an AWS-managed policy", () => {
    for (const role of ofType(driftWatch, "AWS::IAM::Role")) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe.each(alertSubscriptionQueues.map((queue) => [queue.constructId, queue] as const))(
  "the %s",
  (_constructId, definition) => {
    const queue = queueOf(definition.handler);
    const queueId = logicalIdOf(alerts, queue);
    const queueArn = arnOf(alerts, queue);

    it("is encrypted, TLS-only, retained, and moves a message received too often to the alert dead-letter queue", () => {
      const resource = resourceOf(alertsTemplate, queueId);
      expect(resource.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        VisibilityTimeout: definition.visibilityTimeoutSeconds,
        RedrivePolicy: {
          deadLetterTargetArn: deadLetterQueueArn,
          maxReceiveCount: definition.maxReceiveCount,
        },
      });
      expect(resource.DeletionPolicy).toBe("Retain");
      expect(queuePolicyStatements(queueId)).toContainEqual(
        expect.objectContaining({
          Effect: "Deny",
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      );
    });

    it("never redelivers a message while its handler may still be working on it", () => {
      const timeout = handlerSpecFor(definition.handler).timeout?.toSeconds() ?? 10;
      expect(definition.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * timeout);
    });

    it("is subscribed to the alerts topic with its filter policy, the SNS envelope kept, undeliverable messages to the dead-letter queue", () => {
      const subscriptions = ofType(driftWatch, "AWS::SNS::Subscription").filter(
        (subscription) => JSON.stringify(subscription.Properties.Endpoint) === JSON.stringify(queueArn),
      );
      expect(subscriptions.map((subscription) => subscription.Properties)).toEqual([
        {
          Protocol: "sqs",
          Endpoint: queueArn,
          TopicArn: topicArn,
          FilterPolicy: definition.filterPolicy,
          RedrivePolicy: { deadLetterTargetArn: deadLetterQueueArn },
        },
      ]);
    });

    it("accepts messages from the alerts topic alone", () => {
      const sends = queuePolicyStatements(queueId).filter(
        (statement) => (statement as { Effect: string }).Effect === "Allow",
      );
      expect(sends).toEqual([
        {
          Action: "sqs:SendMessage",
          Effect: "Allow",
          Principal: { Service: "sns.amazonaws.com" },
          Resource: queueArn,
          Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
        },
      ]);
    });

    it(`feeds ${definition.handler} one message at a time, reporting each failure on its own`, () => {
      const mappings = ofType(driftWatch, "AWS::Lambda::EventSourceMapping").filter(
        (mapping) => JSON.stringify(mapping.Properties.EventSourceArn) === JSON.stringify(queueArn),
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]?.Properties).toMatchObject({
        FunctionName: { Ref: logicalIdOf(alerts, lambdaOf(driftWatch, definition.handler)) },
        BatchSize: 1,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
      });
      // Slack takes about a message a second per webhook: a burst of alerts is posted two at a time.
      expect(
        (mappings[0]?.Properties.ScalingConfig as { MaximumConcurrency?: number })?.MaximumConcurrency,
      ).toBe(definition === slackDeliveryQueue ? 2 : undefined);
    });

    it(`may be consumed by ${definition.handler} alone`, () => {
      for (const handler of alertFanOutHandlers) {
        const consumes = statementsOf(driftWatch, handler).some(
          (statement) =>
            actionsOf(statement).includes("sqs:ReceiveMessage") &&
            JSON.stringify(statement.Resource) === JSON.stringify(queueArn),
        );
        expect(consumes, handler).toBe(handler === definition.handler);
      }
    });
  },
);

describe("the alert dead-letter queue", () => {
  it("accepts from SNS the messages of the alerts topic's subscriptions, and nothing else", () => {
    const queueId = logicalIdOf(data, data.alertDeadLetterQueue);
    const policy = Object.values(resourcesOfType(driftWatch.dataTemplate, "AWS::SQS::QueuePolicy")).find(
      (candidate) => JSON.stringify(candidate.Properties.Queues) === JSON.stringify([{ Ref: queueId }]),
    ) as TemplateResource;
    const allows = (policy.Properties.PolicyDocument as { Statement: { Effect: string }[] }).Statement.filter(
      (statement) => statement.Effect === "Allow",
    );
    expect(allows).toEqual([
      {
        Action: "sqs:SendMessage",
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Resource: arnOf(data, data.alertDeadLetterQueue),
        Condition: { ArnEquals: { "aws:SourceArn": { Ref: logicalIdOf(data, data.alertsTopic) } } },
      },
    ]);
  });
});

describe("email", () => {
  it("subscribes no stack-level address without the alertEmail context: the queues' subscriptions are all", () => {
    expect(fanOut.alertEmailSubscription).toBeUndefined();
    expect(
      ofType(driftWatch, "AWS::SNS::Subscription").map((subscription) => subscription.Properties.Protocol),
    ).toEqual(alertSubscriptionQueues.map(() => "sqs"));
    for (const handler of alertFanOutHandlers) {
      expect(ALERT_EMAIL_ENV_VAR in variablesOf(driftWatch, handler), handler).toBe(false);
    }
  });

  describe("with the alertEmail context", () => {
    const withEmail = synthDriftWatch({ alertEmail: "ops@example.com" });
    const emails = () =>
      ofType(withEmail, "AWS::SNS::Subscription").filter(
        (subscription) => subscription.Properties.Protocol === "email",
      );

    it("subscribes the address to readable text of warning and above from every model, undeliverable mail to the dead-letter queue", () => {
      expect(emails().map((subscription) => subscription.Properties)).toEqual([
        {
          Protocol: "email",
          Endpoint: "ops@example.com",
          TopicArn: importedFromData(withEmail, {
            Ref: logicalIdOf(withEmail.data, withEmail.data.alertsTopic),
          }),
          FilterPolicy: emailFilterPolicy(),
          RedrivePolicy: {
            deadLetterTargetArn: importedFromData(
              withEmail,
              arnOf(withEmail.data, withEmail.data.alertDeadLetterQueue),
            ),
          },
        },
      ]);
      expect(emailFilterPolicy()).not.toHaveProperty("modelId");
    });

    it("tells the email sync the address, so it leaves that subscription alone, and tells no other function", () => {
      for (const handler of alertFanOutHandlers) {
        const variables = variablesOf(withEmail, handler);
        expect(variables[ALERT_EMAIL_ENV_VAR], handler).toBe(
          handler === EMAIL_SUBSCRIPTION_SYNC_HANDLER ? "ops@example.com" : undefined,
        );
      }
      for (const template of [withEmail.apiTemplate, withEmail.checksTemplate]) {
        for (const fn of Object.values(resourcesOfType(template, "AWS::Lambda::Function"))) {
          const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
          expect(variables).not.toHaveProperty(ALERT_EMAIL_ENV_VAR);
        }
      }
    });
  });
});

describe("email subscription sync", () => {
  const sync = lambdaOf(driftWatch, EMAIL_SUBSCRIPTION_SYNC_HANDLER);
  const deadLetterQueue = fanOut.emailSyncDeadLetterQueue;
  const streamMapping = () => {
    const mappings = ofType(driftWatch, "AWS::Lambda::EventSourceMapping").filter(
      (mapping) =>
        JSON.stringify(mapping.Properties.FunctionName) ===
        JSON.stringify({ Ref: logicalIdOf(alerts, sync) }),
    );
    expect(mappings).toHaveLength(1);
    return mappings[0] as TemplateResource;
  };

  it("reads the models table's stream as the schedule sync does: from its end, ten at a time, halving a failing batch", () => {
    expect(streamMapping().Properties).toMatchObject({
      EventSourceArn: importedFromData(driftWatch, {
        "Fn::GetAtt": [logicalIdOf(data, data.tableFor(modelsTable)), "StreamArn"],
      }),
      StartingPosition: "LATEST",
      BatchSize: 10,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
    });
    expect(streamMapping().Properties.FunctionResponseTypes).toBeUndefined();
  });

  it("sends a batch that exhausted its retries to its own dead-letter queue: encrypted, TLS-only, 14 days, retained", () => {
    const queueArn = arnOf(alerts, deadLetterQueue);
    expect(streamMapping().Properties.DestinationConfig).toEqual({ OnFailure: { Destination: queueArn } });
    const queue = resourceOf(alertsTemplate, logicalIdOf(alerts, deadLetterQueue));
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(queue.DeletionPolicy).toBe("Retain");
    expect(queuePolicyStatements(logicalIdOf(alerts, deadLetterQueue))).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
  });

  it("outputs the URL of its dead-letter queue", () => {
    alertsTemplate.hasOutput("EmailSubscriptionSyncDeadLetterQueueUrl", {
      Value: { Ref: logicalIdOf(alerts, deadLetterQueue) },
    });
  });
});

describe("rollback targets", () => {
  it("are none by default: roll-back-model learns that nothing is allowed and holds no Lambda, SSM or SageMaker permission", () => {
    expect(
      JSON.parse(variablesOf(driftWatch, rollbackQueue.handler)[ROLLBACK_ALLOWED_ENV_VAR] as string),
    ).toEqual({
      lambdaFunctions: [],
      ssmParameters: [],
      sagemakerEndpoints: [],
    });
    expect(rollbackStatements(driftWatch)).toEqual([]);
  });

  it("no other function holds a Lambda, SSM or SageMaker permission, whatever the context", () => {
    const configured = synthDriftWatch({
      rollbackTargets: { lambdaFunctions: ["churn-model"], ssmParameters: ["/x"], sagemakerEndpoints: ["e"] },
    });
    for (const handler of alertFanOutHandlers.filter((name) => name !== rollbackQueue.handler)) {
      const actions = statementsOf(configured, handler).flatMap(actionsOf);
      expect(
        actions.filter((action) => ROLLBACK_ACTIONS.test(action)),
        handler,
      ).toEqual([]);
      expect(ROLLBACK_ALLOWED_ENV_VAR in variablesOf(configured, handler), handler).toBe(false);
    }
  });

  describe("given in context", () => {
    const targets = {
      lambdaFunctions: ["churn-model"],
      ssmParameters: ["/models/churn/active-version"],
      sagemakerEndpoints: ["Churn-Endpoint"],
    };
    const configured = synthDriftWatch({ rollbackTargets: targets });

    it("are what roll-back-model learns it may change, as given", () => {
      expect(
        JSON.parse(variablesOf(configured, rollbackQueue.handler)[ROLLBACK_ALLOWED_ENV_VAR] as string),
      ).toEqual(targets);
    });

    it("are exactly what IAM lets it change: the function's aliases, the parameter, the endpoint's weights", () => {
      expect(rollbackStatements(configured)).toEqual([
        {
          Action: ["lambda:GetAlias", "lambda:UpdateAlias", "lambda:ListVersionsByFunction"],
          Effect: "Allow",
          Resource: [arnIn("lambda", "function:churn-model"), arnIn("lambda", "function:churn-model:*")],
        },
        {
          Action: "ssm:PutParameter",
          Effect: "Allow",
          Resource: arnIn("ssm", "parameter/models/churn/active-version"),
        },
        {
          Action: "sagemaker:UpdateEndpointWeightsAndCapacities",
          Effect: "Allow",
          // SageMaker spells endpoint names in its ARNs in lower case.
          Resource: arnIn("sagemaker", "endpoint/churn-endpoint"),
        },
      ]);
    });

    it("arrive as JSON text from -c and grant the same", () => {
      const fromCommandLine = synthDriftWatch({ rollbackTargets: JSON.stringify(targets) });
      expect(rollbackStatements(fromCommandLine)).toEqual(rollbackStatements(configured));
    });
  });

  it("take a function's ARN as it is, and a prefix ending in * as a prefix", () => {
    const functionArn = "arn:aws:lambda:eu-west-1:123456789012:function:churn-model";
    const configured = synthDriftWatch({
      rollbackTargets: {
        lambdaFunctions: [functionArn, "fraud-*"],
        ssmParameters: ["/models/churn/*"],
        sagemakerEndpoints: ["churn-*"],
      },
    });
    expect(rollbackStatements(configured).map((statement) => statement.Resource)).toEqual([
      [functionArn, `${functionArn}:*`, arnIn("lambda", "function:fraud-*")],
      arnIn("ssm", "parameter/models/churn/*"),
      arnIn("sagemaker", "endpoint/churn-*"),
    ]);
  });
});
