import { Duration, Stack } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
  type IWidget,
  Metric,
  SearchExpression,
  Stats,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import { Construct } from "constructs";
import { MODEL_DIMENSION } from "#shared/observability";
import {
  checkMetrics,
  featureDriftMetrics,
  INGEST_SERVER_ERRORS_METRIC,
  ingestMetrics,
  METRICS_NAMESPACE,
  type PublishedMetricSet,
  SERVICE_NAME,
  SLACK_DELIVERY_FAILURES_METRIC,
  searchExpression,
} from "../published-metrics.ts";
import type { MonitoringFunction } from "./monitoring-function.ts";

/** Checks run hourly or less often: finer periods would only show gaps. */
const CHECK_PERIOD = Duration.hours(1);
/** Requests, invocations and queues change by the minute. */
const TRAFFIC_PERIOD = Duration.minutes(5);
/** A full row of the dashboard's 24-column grid, and the widths that split it. */
const FULL = 24;
const HALF = 12;
const THIRD = 8;
const HEIGHT = 6;

/** Every check metric as one graph of all models, under a title that says what it is. */
const CHECK_METRIC_GRAPHS: ReadonlyArray<{ title: string; metrics: readonly string[] }> = [
  { title: "Drifted share of features", metrics: ["drift.share"] },
  { title: "Largest feature PSI", metrics: ["drift.maxPsi"] },
  { title: "Prediction drift (PSI)", metrics: ["prediction.psi"] },
  { title: "Performance drop (relative)", metrics: ["performance.drop"] },
  { title: "Estimated accuracy", metrics: ["performance.estimatedAccuracy"] },
  { title: "Latency p95 and p99 (ms)", metrics: ["latency.p95", "latency.p99"] },
  { title: "Error rate", metrics: ["errorRate"] },
  { title: "Traffic volume (z-score)", metrics: ["volume.z"] },
  { title: "Rows per check", metrics: ["Rows"] },
  { title: "Checks without data", metrics: ["noData"] },
];

export interface FunctionGroup {
  /** What the functions serve, as the widget titles say it ("API", "Checks"). */
  readonly title: string;
  readonly functions: ReadonlyMap<string, MonitoringFunction>;
}

export interface OperationsDashboardProps {
  readonly api: HttpApi;
  readonly functionGroups: readonly FunctionGroup[];
  readonly checkStateMachine: StateMachine;
  readonly deadLetterQueues: readonly Queue[];
  readonly alarms: readonly IAlarm[];
}

/**
 * One CloudWatch dashboard for the whole deployment: the alarms' state, the models (the metrics
 * every check publishes, one line per model, found by search so new models appear by themselves),
 * the API, the scheduled checks, every function and every dead-letter queue.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const { region } = Stack.of(this);
    // Dashboard names are global to the account: the region keeps two deployments apart.
    const dashboardName = `DriftWatch-${region}`;
    this.dashboard = new Dashboard(this, "Dashboard", {
      dashboardName,
      defaultInterval: Duration.days(7),
    });
    this.url = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${dashboardName}`;

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: [
          "# DriftWatch",
          "Models (the metrics of every check, one line per model), the API, the scheduled checks, every function and dead-letter queue. Every alarm notifies the topic of the `OperationsTopicArn` output.",
        ].join("\n"),
        width: FULL,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: "Alarms", alarms: [...props.alarms], width: FULL, height: HEIGHT }),
    );
    this.addSection("Models", [...this.modelWidgets()]);
    this.addSection("API", this.apiWidgets(props.api));
    this.addSection("Scheduled checks", this.checkWidgets(props.checkStateMachine));
    this.addSection(
      "Functions",
      props.functionGroups.flatMap((group) => this.functionWidgets(group)),
    );
    this.addSection("Dead-letter queues and deliveries", this.deliveryWidgets(props.deadLetterQueues));
  }

  private addSection(title: string, widgets: IWidget[]): void {
    this.dashboard.addWidgets(new TextWidget({ markdown: `## ${title}`, width: FULL, height: 1 }));
    this.dashboard.addWidgets(...widgets);
  }

  private *modelWidgets(): Generator<IWidget> {
    for (const { title, metrics } of CHECK_METRIC_GRAPHS) {
      yield graph(
        title,
        metrics.map((name) =>
          perModel(checkMetrics, name, Stats.MAXIMUM, CHECK_PERIOD, metrics.length > 1 ? ` ${name}` : ""),
        ),
        THIRD,
      );
    }
    yield graph(
      "Feature drift score (PSI), by model and feature",
      [
        new SearchExpression({
          expression: searchExpression(
            featureDriftMetrics,
            "DriftScore",
            Stats.MAXIMUM,
            CHECK_PERIOD.toSeconds(),
          ),
          label: dimensionLabel(featureDriftMetrics, [MODEL_DIMENSION, "Feature"]),
          period: CHECK_PERIOD,
        }),
      ],
      HALF,
    );
    yield graph(
      "Records accepted and duplicates, by model",
      ingestMetrics.names.map((name) => perModel(ingestMetrics, name, Stats.SUM, TRAFFIC_PERIOD, ` ${name}`)),
      HALF,
    );
  }

  private apiWidgets(api: HttpApi): IWidget[] {
    const sum = { statistic: Stats.SUM, period: TRAFFIC_PERIOD };
    return [
      graph(
        "Requests and errors",
        [
          api.metricCount({ ...sum, label: "Requests" }),
          api.metricClientError({ ...sum, label: "4xx" }),
          api.metricServerError({ ...sum, label: "5xx" }),
          new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: INGEST_SERVER_ERRORS_METRIC,
            ...sum,
            label: "Ingest 5xx",
          }),
        ],
        HALF,
      ),
      graph(
        "Latency (ms)",
        [
          ...[Stats.p(50), Stats.p(95), Stats.p(99)].map((statistic) =>
            api.metricLatency({ statistic, period: TRAFFIC_PERIOD, label: `Latency ${statistic}` }),
          ),
          api.metricIntegrationLatency({
            statistic: Stats.p(95),
            period: TRAFFIC_PERIOD,
            label: "Integration latency p95",
          }),
        ],
        HALF,
      ),
    ];
  }

  private checkWidgets(stateMachine: StateMachine): IWidget[] {
    const sum = { statistic: Stats.SUM, period: CHECK_PERIOD };
    return [
      graph(
        "Check executions",
        [
          stateMachine.metricStarted({ ...sum, label: "Started" }),
          stateMachine.metricSucceeded({ ...sum, label: "Succeeded" }),
          stateMachine.metricFailed({ ...sum, label: "Failed" }),
          stateMachine.metricTimedOut({ ...sum, label: "Timed out" }),
        ],
        HALF,
      ),
      graph(
        "Check duration (ms)",
        [Stats.AVERAGE, Stats.MAXIMUM].map((statistic) =>
          stateMachine.metricTime({ statistic, period: CHECK_PERIOD, label: `Duration ${statistic}` }),
        ),
        HALF,
      ),
    ];
  }

  private functionWidgets({ title, functions }: FunctionGroup): IWidget[] {
    const each = (metricOf: (fn: MonitoringFunction, handler: string) => IMetric) =>
      [...functions].map(([handler, fn]) => metricOf(fn, handler));
    const sum = (handler: string) => ({ statistic: Stats.SUM, period: TRAFFIC_PERIOD, label: handler });
    return [
      graph(
        `${title}: errors`,
        each((fn, handler) => fn.lambda.metricErrors(sum(handler))),
        THIRD,
      ),
      graph(
        `${title}: throttles`,
        each((fn, handler) => fn.lambda.metricThrottles(sum(handler))),
        THIRD,
      ),
      graph(
        `${title}: duration p99 (ms)`,
        each((fn, handler) =>
          fn.lambda.metricDuration({ statistic: Stats.p(99), period: TRAFFIC_PERIOD, label: handler }),
        ),
        THIRD,
      ),
    ];
  }

  private deliveryWidgets(deadLetterQueues: readonly Queue[]): IWidget[] {
    return [
      graph(
        "Messages in dead-letter queues",
        deadLetterQueues.map((queue) =>
          queue.metricApproximateNumberOfMessagesVisible({
            statistic: Stats.MAXIMUM,
            period: TRAFFIC_PERIOD,
            label: queue.node.id,
          }),
        ),
        HALF,
      ),
      graph(
        "Slack delivery failures",
        [
          new Metric({
            namespace: METRICS_NAMESPACE,
            metricName: SLACK_DELIVERY_FAILURES_METRIC,
            dimensionsMap: { service: SERVICE_NAME },
            statistic: Stats.SUM,
            period: TRAFFIC_PERIOD,
            label: "Failed deliveries",
          }),
        ],
        HALF,
      ),
    ];
  }
}

function graph(title: string, metrics: IMetric[], width: number): GraphWidget {
  return new GraphWidget({ title, left: metrics, width, height: HEIGHT });
}

/** One line per model of a published metric, labelled with the model's id. */
function perModel(
  set: PublishedMetricSet,
  metricName: string,
  statistic: string,
  period: Duration,
  labelSuffix: string,
): SearchExpression {
  return new SearchExpression({
    expression: searchExpression(set, metricName, statistic, period.toSeconds()),
    label: `${dimensionLabel(set, [MODEL_DIMENSION])}${labelSuffix}`,
    period,
  });
}

/** A dynamic label: each line of a search is named by its values of these dimensions. */
function dimensionLabel(set: PublishedMetricSet, dimensions: readonly string[]): string {
  for (const dimension of dimensions) {
    if (!set.dimensions.includes(dimension)) {
      throw new Error(`${set.publishedBy} publishes no dimension ${dimension}.`);
    }
  }
  return dimensions.map((dimension) => `\${PROP('Dim.${dimension}')}`).join(" ");
}
