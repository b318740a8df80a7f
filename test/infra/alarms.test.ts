import type { Stack } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { OPERATIONS_EMAIL_CONTEXT_KEY } from "../../infra/alert-context.ts";
import { INGEST_HANDLER } from "../../infra/api-stack.ts";
import { SLOW_CHECK_DURATION } from "../../infra/constructs/check-pipeline.ts";
import { routes } from "../../shared/http/routes.ts";
import {
  logicalIdOf,
  policyStatementsOf,
  resourceOf,
  resourcesOfType,
  type SynthesizedDriftWatch,
  synthDriftWatch,
  type TemplateResource,
  theResource,
} from "./support/synth.ts";

const driftWatch = synthDriftWatch();
const { data, dataTemplate } = driftWatch;
const topicId = logicalIdOf(data, data.operationsTopic);

const stacksOf = (app: SynthesizedDriftWatch): [Stack, Template][] => [
  [app.data, app.dataTemplate],
  [app.api, app.apiTemplate],
  [app.checks, app.checksTemplate],
  [app.alerts, app.alertsTemplate],
];

/** How a stack names the operations topic: by Ref in the data stack, by its export elsewhere. */
function topicIn(stack: Stack): unknown {
  return stack === data
    ? { Ref: topicId }
    : { "Fn::ImportValue": expect.stringContaining(`ExportsOutputRef${topicId}`) };
}

const alarmsIn = (template: Template) =>
  Object.values(resourcesOfType(template, "AWS::CloudWatch::Alarm")).map((alarm) => alarm.Properties);

function alarmOn(template: Template, namespace: string, metricName: string, dimension: unknown) {
  return alarmsIn(template).filter(
    (alarm) =>
      alarm.Namespace === namespace &&
      alarm.MetricName === metricName &&
      JSON.stringify(alarm.Dimensions) === JSON.stringify(dimension),
  );
}

/** The app's own functions, not CDK's dashboard deployment function. */
const driftWatchFunctions = (template: Template) =>
  Object.entries(resourcesOfType(template, "AWS::Lambda::Function")).filter(
    ([logicalId]) => !logicalId.startsWith("CustomCDKBucketDeployment"),
  );

describe("alarms", () => {
  it("each notify the operations topic when they fire, under a name that says which stack and what", () => {
    for (const [stack, template] of stacksOf(driftWatch)) {
      const alarms = alarmsIn(template);
      expect(alarms.length, stack.stackName).toBeGreaterThan(0);
      for (const alarm of alarms) {
        expect(alarm.AlarmActions, String(alarm.AlarmName)).toEqual([topicIn(stack)]);
        expect(alarm.AlarmName).toMatch(new RegExp(`^${stack.stackName}-[a-zA-Z-]+$`));
        expect(alarm.AlarmDescription).toEqual(expect.anything());
        // Absent data is no failure, and a new alarm must not notify on its first evaluation.
        expect(alarm.TreatMissingData).toBe("notBreaching");
        expect(alarm.OKActions).toBeUndefined();
      }
    }
  });

  it("exist for the errors and throttles of every function of the app", () => {
    let functions = 0;
    for (const [stack, template] of stacksOf(driftWatch)) {
      for (const [logicalId] of driftWatchFunctions(template)) {
        functions++;
        for (const metricName of ["Errors", "Throttles"]) {
          const alarms = alarmOn(template, "AWS/Lambda", metricName, [
            { Name: "FunctionName", Value: { Ref: logicalId } },
          ]);
          expect(alarms, `${stack.stackName} ${logicalId} ${metricName}`).toHaveLength(1);
          expect(alarms[0]).toMatchObject({
            Statistic: "Sum",
            Period: 300,
            Threshold: 1,
            ComparisonOperator: "GreaterThanOrEqualToThreshold",
          });
        }
      }
    }
    const { api, checks, alerts } = driftWatch;
    expect(functions).toBe(
      api.functions.size + checks.pipeline.functions.size + alerts.fanOut.functions.size,
    );
  });

  it("fire as soon as any dead-letter queue holds a message", () => {
    const deadLetterQueues: string[] = [];
    for (const [stack, template] of stacksOf(driftWatch)) {
      for (const logicalId of Object.keys(resourcesOfType(template, "AWS::SQS::Queue"))) {
        if (!logicalId.includes("DeadLetterQueue")) continue;
        deadLetterQueues.push(logicalId);
        const alarms = alarmOn(template, "AWS/SQS", "ApproximateNumberOfMessagesVisible", [
          { Name: "QueueName", Value: { "Fn::GetAtt": [logicalId, "QueueName"] } },
        ]);
        expect(alarms, `${stack.stackName} ${logicalId}`).toHaveLength(1);
        expect(alarms[0]).toMatchObject({ Statistic: "Maximum", Threshold: 1 });
      }
    }
    // The alert, check, schedule-sync, baseline registration and email-sync dead-letter queues.
    expect(deadLetterQueues).toHaveLength(5);
  });

  it("count the ingest route's 5xx answers from the API's access log, and fire on the first", () => {
    const { api, apiTemplate } = driftWatch;
    const ingest = routes.find((route) => route.handler === INGEST_HANDLER);
    const filter = theResource(apiTemplate, "AWS::Logs::MetricFilter");
    expect(filter.Properties).toMatchObject({
      FilterPattern: `{ ($.routeKey = "${ingest?.method} ${ingest?.path}") && ($.status = "5*") }`,
      MetricTransformations: [
        {
          MetricNamespace: "DriftWatch",
          MetricName: "IngestServerErrors",
          MetricValue: "1",
          DefaultValue: 0,
        },
      ],
    });
    const accessLogs = (filter.Properties.LogGroupName as { Ref: string }).Ref;
    const stage = theResource(apiTemplate, "AWS::ApiGatewayV2::Stage");
    expect(stage.Properties.AccessLogSettings).toMatchObject({
      DestinationArn: { "Fn::GetAtt": [accessLogs, "Arn"] },
    });
    const alarm = resourceOf(apiTemplate, logicalIdOf(api, api.ingestServerErrorsAlarm));
    expect(alarm.Properties).toMatchObject({
      Namespace: "DriftWatch",
      MetricName: "IngestServerErrors",
      Statistic: "Sum",
      Threshold: 1,
    });
  });

  it("fire on a check that failed or timed out, and on one slower than 45 minutes", () => {
    const { checks, checksTemplate } = driftWatch;
    const stateMachine = { Ref: logicalIdOf(checks, checks.pipeline.stateMachine) };
    const [failed, slow] = checks.pipeline.checkAlarms.map(
      (alarm) => resourceOf(checksTemplate, logicalIdOf(checks, alarm)).Properties,
    );
    const metricsOf = (alarm: TemplateResource["Properties"] = {}) =>
      (alarm.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } } }[])
        .flatMap((query) => (query.MetricStat ? [query.MetricStat.Metric] : []))
        .map((metric) => [metric.MetricName, metric.Dimensions]);
    expect(metricsOf(failed)).toEqual([
      ["ExecutionsFailed", [{ Name: "StateMachineArn", Value: stateMachine }]],
      ["ExecutionsTimedOut", [{ Name: "StateMachineArn", Value: stateMachine }]],
    ]);
    expect(failed?.Threshold).toBe(1);
    expect(slow).toMatchObject({
      Namespace: "AWS/States",
      MetricName: "ExecutionTime",
      Dimensions: [{ Name: "StateMachineArn", Value: stateMachine }],
      Statistic: "Maximum",
      Threshold: SLOW_CHECK_DURATION.toMilliseconds(),
    });
    expect(SLOW_CHECK_DURATION.toMinutes()).toBe(45);
  });

  it("fire on a failed Slack delivery, on the metric deliver-slack publishes", () => {
    const { alerts, alertsTemplate } = driftWatch;
    expect(
      resourceOf(alertsTemplate, logicalIdOf(alerts, alerts.fanOut.slackDeliveryAlarm)).Properties,
    ).toMatchObject({
      Namespace: "DriftWatch",
      MetricName: "SlackDeliveryFailures",
      Dimensions: [{ Name: "service", Value: "driftwatch" }],
      Statistic: "Sum",
      Threshold: 1,
    });
  });
});

describe("operations topic", () => {
  it("is apart from the alerts topic, whose every subscription filters on attributes alarm notifications lack", () => {
    const alertsTopic = logicalIdOf(data, data.alertsTopic);
    const subscriptions = stacksOf(synthDriftWatch({ alertEmail: "ops@example.com" })).flatMap(
      ([, template]) => Object.values(resourcesOfType(template, "AWS::SNS::Subscription")),
    );
    const onAlertsTopic = subscriptions.filter((subscription) =>
      JSON.stringify(subscription.Properties.TopicArn).includes(alertsTopic),
    );
    expect(onAlertsTopic.length).toBeGreaterThan(0);
    for (const subscription of onAlertsTopic) expect(subscription.Properties.FilterPolicy).toBeDefined();
  });

  it("is encrypted with a rotating key of its own that CloudWatch may use, and retained", () => {
    const topic = resourceOf(dataTemplate, topicId);
    const keyId = (topic.Properties.KmsMasterKeyId as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const key = resourceOf(dataTemplate, keyId);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect((key.Properties.KeyPolicy as { Statement: unknown[] }).Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      }),
    );
    expect(topic.DeletionPolicy).toBe("Retain");
    expect(key.DeletionPolicy).toBe("Retain");
  });

  it("takes publications from this account's CloudWatch alarms, over TLS only", () => {
    const statements = policyStatementsOf(
      theResource(
        dataTemplate,
        "AWS::SNS::TopicPolicy",
        (policy) => JSON.stringify(policy.Properties.Topics) === JSON.stringify([{ Ref: topicId }]),
      ),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Condition: {
          ArnLike: { "aws:SourceArn": expect.anything() },
          StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } },
        },
      }),
    );
  });

  it("subscribes the operationsEmail address without a filter policy, failed deliveries to the alert DLQ", () => {
    expect(resourcesOfType(dataTemplate, "AWS::SNS::Subscription")).toEqual({});
    const configured = synthDriftWatch({ [OPERATIONS_EMAIL_CONTEXT_KEY]: "oncall@example.com" });
    const subscriptions = Object.values(resourcesOfType(configured.dataTemplate, "AWS::SNS::Subscription"));
    expect(subscriptions.map((subscription) => subscription.Properties)).toEqual([
      {
        TopicArn: { Ref: logicalIdOf(configured.data, configured.data.operationsTopic) },
        Protocol: "email",
        Endpoint: "oncall@example.com",
        RedrivePolicy: {
          deadLetterTargetArn: {
            "Fn::GetAtt": [logicalIdOf(configured.data, configured.data.alertDeadLetterQueue), "Arn"],
          },
        },
      },
    ]);
  });

  it.each(["", "oncall", 42])("refuses an operationsEmail of %j, naming the setting", (value) => {
    expect(() => synthDriftWatch({ [OPERATIONS_EMAIL_CONTEXT_KEY]: value })).toThrow(
      /Context "operationsEmail" must be an email address/,
    );
  });

  it("outputs OperationsTopicArn", () => {
    dataTemplate.hasOutput("OperationsTopicArn", { Value: { Ref: topicId } });
  });
});
