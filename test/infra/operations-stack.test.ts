import { CfnAlarm } from "aws-cdk-lib/aws-cloudwatch";
import { describe, expect, it } from "vitest";
import {
  ATHENA_WORKGROUP_NAME,
  BYTES_SCANNED_CUTOFF_PER_QUERY,
  GLUE_DATABASE_NAME,
  PREDICTION_LOG_TABLE_NAME,
} from "../../infra/constructs/prediction-log-queries.ts";
import { ATHENA_RESULTS_PREFIX } from "../../infra/data-stack.ts";
import { checkMetrics, ingestMetrics } from "../../infra/published-metrics.ts";
import { RETENTION_CONTEXT_KEY } from "../../infra/retention.ts";
import { predictionRecordSchema } from "../../shared/schemas/prediction-record.ts";
import { logObjectKey } from "../../shared/storage/log-keys.ts";
import { logicalIdOf, synthDriftWatch, theResource } from "./support/synth.ts";

const driftWatch = synthDriftWatch();
const { data, api, checks, alerts, operations, operationsTemplate } = driftWatch;

/** A CloudFormation value as text, references spelled `Ref(...)`, `Import(...)`, `Pseudo(...)`. */
function render(value: unknown): string {
  if (typeof value === "string") return value;
  const node = value as Record<string, unknown>;
  if (node["Fn::Join"]) {
    const [delimiter, parts] = node["Fn::Join"] as [string, unknown[]];
    return parts.map(render).join(delimiter);
  }
  if (node["Fn::ImportValue"]) return `Import(${render(node["Fn::ImportValue"])})`;
  if (typeof node.Ref === "string")
    return node.Ref.startsWith("AWS::") ? `Pseudo(${node.Ref})` : `Ref(${node.Ref})`;
  if (node["Fn::GetAtt"]) return `GetAtt(${(node["Fn::GetAtt"] as string[]).join(".")})`;
  throw new Error(`Cannot render ${JSON.stringify(value)}`);
}

const onlyOf = (type: string) => theResource(operationsTemplate, type);

interface Widget {
  type: string;
  properties: { title?: string; metrics?: unknown[][]; alarms?: string[] };
}
const dashboardBody = render(onlyOf("AWS::CloudWatch::Dashboard").Properties.DashboardBody);
const widgets = (JSON.parse(dashboardBody) as { widgets: Widget[] }).widgets;
const widgetTitled = (title: string) => {
  const widget = widgets.find((candidate) => candidate.properties.title === title);
  if (!widget) throw new Error(`No widget "${title}"`);
  return JSON.stringify(widget.properties.metrics);
};
/** How the operations stack names another stack's resource: by the export of its Ref. */
const exported = (logicalId: string) => new RegExp(`Import\\([^)]*ExportsOutputRef${logicalId}[^)]*\\)`);

describe("CloudWatch dashboard", () => {
  it.each(checkMetrics.names)("graphs %s for every model, by a search over the checks' metrics", (name) => {
    expect(dashboardBody).toContain(
      `SEARCH('{DriftWatch,ModelId,service} MetricName=\\"${name}\\"', 'Maximum', 3600)`,
    );
  });

  it("graphs every feature's drift score, and the records each model's ingest accepted", () => {
    expect(dashboardBody).toContain(
      `SEARCH('{DriftWatch,Feature,ModelId,service} MetricName=\\"DriftScore\\"', 'Maximum', 3600)`,
    );
    for (const name of ingestMetrics.names) {
      expect(dashboardBody).toContain(
        `SEARCH('{DriftWatch,ModelId,service} MetricName=\\"${name}\\"', 'Sum', 300)`,
      );
    }
  });

  it("graphs the errors, throttles and p99 duration of every function, by stack", () => {
    for (const [title, stack, functions] of [
      ["API", api, api.functions],
      ["Checks", checks, checks.pipeline.functions],
      ["Alerts", alerts, alerts.fanOut.functions],
    ] as const) {
      for (const [widget, metricName] of [
        [`${title}: errors`, "Errors"],
        [`${title}: throttles`, "Throttles"],
        [`${title}: duration p99 (ms)`, "Duration"],
      ] as const) {
        const metrics = widgetTitled(widget);
        for (const fn of functions.values()) {
          expect(metrics, `${widget} ${fn.node.id}`).toMatch(exported(logicalIdOf(stack, fn.lambda)));
        }
        expect(metrics).toContain(`"AWS/Lambda","${metricName}"`);
        expect(JSON.parse(metrics)).toHaveLength(functions.size);
      }
    }
  });

  it("graphs the API's requests, 4xx and 5xx (the ingest route's too) and latency percentiles", () => {
    const httpApi = exported(logicalIdOf(api, api.api));
    const requests = widgetTitled("Requests and errors");
    for (const metricName of ["Count", "4xx", "5xx"])
      expect(requests).toContain(`"AWS/ApiGateway","${metricName}"`);
    expect(requests).toMatch(httpApi);
    expect(requests).toContain(`"DriftWatch","IngestServerErrors"`);
    const latency = widgetTitled("Latency (ms)");
    for (const statistic of ["p50", "p95", "p99"]) expect(latency).toContain(`"stat":"${statistic}"`);
    expect(latency).toMatch(httpApi);
  });

  it("graphs the check state machine's failed and timed-out executions and their duration", () => {
    const stateMachine = exported(logicalIdOf(checks, checks.pipeline.stateMachine));
    const executions = widgetTitled("Check executions");
    for (const metricName of ["ExecutionsStarted", "ExecutionsFailed", "ExecutionsTimedOut"]) {
      expect(executions).toContain(`"AWS/States","${metricName}"`);
    }
    expect(executions).toMatch(stateMachine);
    expect(widgetTitled("Check duration (ms)")).toMatch(stateMachine);
  });

  it("graphs the depth of every dead-letter queue, and the failed Slack deliveries", () => {
    const depth = widgetTitled("Messages in dead-letter queues");
    for (const [stack, queue] of [
      [data, data.alertDeadLetterQueue],
      [api, api.baselineRegistration.deadLetterQueue],
      [checks, checks.pipeline.checkDeadLetterQueue],
      [checks, checks.pipeline.scheduleSyncDeadLetterQueue],
      [alerts, alerts.fanOut.emailSyncDeadLetterQueue],
    ] as const) {
      expect(depth, queue.node.id).toMatch(
        new RegExp(`Import\\([^)]*ExportsOutputFnGetAtt${logicalIdOf(stack, queue)}QueueName`),
      );
    }
    expect(widgetTitled("Slack delivery failures")).toContain(
      `"DriftWatch","SlackDeliveryFailures","service","driftwatch"`,
    );
  });

  it("shows the state of every alarm of the app, named without the other stacks' exports", () => {
    const alarmNames = [data, api, checks, alerts].flatMap((stack) =>
      stack.node
        .findAll()
        .filter((construct): construct is CfnAlarm => construct instanceof CfnAlarm)
        .map((alarm) => alarm.alarmName),
    );
    const statusWidget = widgets.find((widget) => widget.type === "alarm");
    expect(statusWidget?.properties.alarms?.map((arn) => arn.replace(/^.*:alarm:/, "")).sort()).toEqual(
      alarmNames.sort(),
    );
    // A status widget shows up to 100 alarms.
    expect(alarmNames.length).toBeLessThanOrEqual(100);
  });

  it("outputs OperationsDashboardUrl, the dashboard in the CloudWatch console", () => {
    const dashboard = onlyOf("AWS::CloudWatch::Dashboard");
    expect(render(dashboard.Properties.DashboardName)).toBe("DriftWatch-Pseudo(AWS::Region)");
    const outputs = operationsTemplate.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(render(outputs.OperationsDashboardUrl?.Value)).toBe(
      "https://Pseudo(AWS::Region).console.aws.amazon.com/cloudwatch/home?region=Pseudo(AWS::Region)#dashboards/dashboard/DriftWatch-Pseudo(AWS::Region)",
    );
  });
});

describe("Athena over the raw logs", () => {
  const table = onlyOf("AWS::Glue::Table").Properties.TableInput as {
    Name: string;
    Parameters: Record<string, string | unknown>;
    PartitionKeys: { Name: string; Type: string }[];
    StorageDescriptor: {
      Location: unknown;
      Columns: { Name: string; Type: string }[];
      SerdeInfo: { SerializationLibrary: string; Parameters: Record<string, string> };
    };
  };
  const dataBucket = `Import\\(DriftWatchData:ExportsOutputRef${logicalIdOf(data, data.dataBucket)}[0-9A-F]*\\)`;
  const location = render(table.StorageDescriptor.Location);

  it(`puts the table ${PREDICTION_LOG_TABLE_NAME} in the database ${GLUE_DATABASE_NAME}, over logs/ in the data bucket`, () => {
    const database = onlyOf("AWS::Glue::Database");
    expect(database.Properties.DatabaseInput).toMatchObject({ Name: GLUE_DATABASE_NAME });
    expect(table.Name).toBe(PREDICTION_LOG_TABLE_NAME);
    expect(location).toMatch(new RegExp(`^s3://${dataBucket}/logs/$`));
  });

  it("projects the model, day and hour partitions instead of listing them: every query names its model", () => {
    expect(table.PartitionKeys).toEqual([
      { Name: "model", Type: "string", Comment: expect.any(String) },
      { Name: "dt", Type: "string", Comment: expect.any(String) },
      { Name: "hour", Type: "string", Comment: expect.any(String) },
    ]);
    expect(table.Parameters).toMatchObject({
      "projection.enabled": "true",
      "projection.model.type": "injected",
      "projection.dt.type": "date",
      "projection.dt.format": "yyyy-MM-dd",
      "projection.dt.range": "NOW-90DAYS,NOW",
      "projection.dt.interval": "1",
      "projection.dt.interval.unit": "DAYS",
      "projection.hour.type": "integer",
      "projection.hour.range": "0,23",
      "projection.hour.digits": "2",
    });
  });

  it("offers the days the logs are kept for, from the retention context", () => {
    const shorter = synthDriftWatch({ [RETENTION_CONTEXT_KEY]: 30 });
    const glueTable = theResource(shorter.operationsTemplate, "AWS::Glue::Table");
    const { Parameters } = glueTable.Properties.TableInput as { Parameters: Record<string, string> };
    expect(Parameters["projection.dt.range"]).toBe("NOW-30DAYS,NOW");
  });

  it("locates each projected partition where ingest writes that hour's log objects", () => {
    const template = render(table.Parameters["storage.location.template"]);
    const receivedAt = new Date("2026-12-01T05:30:05.123Z");
    const partition = Object.entries({ model: "churn-model", dt: "2026-12-01", hour: "05" }).reduce(
      (location, [key, value]) => location.replace(`\${${key}}`, value),
      template,
    );
    const written = `${location.replace(/logs\/$/, "")}${logObjectKey("churn-model", receivedAt, "batch")}`;
    expect(written.startsWith(partition)).toBe(true);
    expect(partition.endsWith("/model=churn-model/dt=2026-12-01/hour=05/")).toBe(true);
  });

  it("reads each stored record's fields from gzip JSON lines, case-sensitively so feature names keep their case", () => {
    const columns = table.StorageDescriptor.Columns.map((column) => column.Name);
    const serde = table.StorageDescriptor.SerdeInfo;
    const jsonKeyOf = (column: string) => serde.Parameters[`mapping.${column}`] ?? column;
    expect(columns.map(jsonKeyOf).sort()).toEqual(Object.keys(predictionRecordSchema.shape).sort());
    expect(serde.SerializationLibrary).toBe("org.openx.data.jsonserde.JsonSerDe");
    expect(serde.Parameters["case.insensitive"]).toBe("false");
    expect(table.Parameters).toMatchObject({ classification: "json", compressionType: "gzip" });
    expect(
      Object.fromEntries(table.StorageDescriptor.Columns.map((column) => [column.Name, column.Type])),
    ).toMatchObject({
      features: "map<string,string>",
      probabilities: "map<string,double>",
      latencyms: "double",
      error: "boolean",
    });
  });

  it("runs queries in a workgroup that enforces encrypted results under athena-results/ and a scan cutoff", () => {
    const workGroup = onlyOf("AWS::Athena::WorkGroup").Properties;
    expect(workGroup.Name).toBe(ATHENA_WORKGROUP_NAME);
    const configuration = workGroup.WorkGroupConfiguration as Record<string, unknown> & {
      ResultConfiguration: Record<string, unknown>;
    };
    expect(configuration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      BytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF_PER_QUERY,
      PublishCloudWatchMetricsEnabled: true,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: "SSE_S3" } },
    });
    expect(render(configuration.ResultConfiguration.OutputLocation)).toMatch(
      new RegExp(`^s3://${dataBucket}/${ATHENA_RESULTS_PREFIX}$`),
    );
  });

  it("outputs AthenaWorkgroup, GlueDatabase and PredictionLogTable", () => {
    const { logQueries } = operations;
    operationsTemplate.hasOutput("AthenaWorkgroup", {
      Value: { Ref: logicalIdOf(operations, logQueries.workGroup) },
    });
    operationsTemplate.hasOutput("GlueDatabase", {
      Value: { Ref: logicalIdOf(operations, logQueries.database) },
    });
    operationsTemplate.hasOutput("PredictionLogTable", {
      Value: { Ref: logicalIdOf(operations, logQueries.table) },
    });
  });
});
