import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import { Alarm, CfnAlarm, type IAlarm } from "aws-cdk-lib/aws-cloudwatch";
import type { Construct, IConstruct } from "constructs";
import type { AlertStack } from "./alert-stack.ts";
import type { ApiStack } from "./api-stack.ts";
import type { CheckStack } from "./check-stack.ts";
import { OperationsDashboard } from "./constructs/operations-dashboard.ts";
import { PredictionLogQueries } from "./constructs/prediction-log-queries.ts";
import type { DataStack } from "./data-stack.ts";

export interface OperationsStackProps extends StackProps {
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly checks: CheckStack;
  readonly alerts: AlertStack;
  readonly retentionDays: number;
}

/**
 * What the operators look at rather than what serves the models: the CloudWatch dashboard over
 * every other stack, and Athena over the raw logs. Its alarms live beside what they watch, in each
 * stack, so a new function or queue has them from the start; the dashboard shows their state.
 * Deployed last: it reads the names of the other stacks' functions, queues and API.
 */
export class OperationsStack extends Stack {
  readonly dashboard: OperationsDashboard;
  readonly logQueries: PredictionLogQueries;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { data, api, checks, alerts } = props;

    this.dashboard = new OperationsDashboard(this, "Dashboard", {
      api: api.api,
      functionGroups: [
        { title: "API", functions: api.functions },
        { title: "Checks", functions: checks.pipeline.functions },
        { title: "Alerts", functions: alerts.fanOut.functions },
      ],
      checkStateMachine: checks.pipeline.stateMachine,
      deadLetterQueues: [
        data.alertDeadLetterQueue,
        api.baselineRegistration.deadLetterQueue,
        checks.pipeline.checkDeadLetterQueue,
        checks.pipeline.scheduleSyncDeadLetterQueue,
        alerts.fanOut.emailSyncDeadLetterQueue,
      ],
      alarms: [data, api, checks, alerts].flatMap((stack) => this.alarmsOf(stack)),
    });
    this.logQueries = new PredictionLogQueries(this, "PredictionLogQueries", {
      dataBucket: data.dataBucket,
      retentionDays: props.retentionDays,
    });

    new CfnOutput(this, "OperationsDashboardUrl", {
      value: this.dashboard.url,
      description: "The DriftWatch CloudWatch dashboard in the console",
    });
    new CfnOutput(this, "GlueDatabase", {
      value: this.logQueries.database.ref,
      description: "Glue database of the raw prediction logs' table",
    });
    new CfnOutput(this, "PredictionLogTable", {
      value: this.logQueries.table.ref,
      description:
        "Glue table of the raw prediction logs (partitions model, dt, hour; every query names its model)",
    });
    new CfnOutput(this, "AthenaWorkgroup", {
      value: this.logQueries.workGroup.ref,
      description:
        "Athena workgroup to query the logs in (results encrypted, under athena-results/, kept 7 days)",
    });
  }

  /**
   * Every alarm of another stack, by name: each alarm's name is set in full (infra/alarms.ts), so it
   * is known here without an export of the other stack.
   */
  private alarmsOf(stack: Stack): IAlarm[] {
    return stack.node
      .findAll()
      .filter((construct: IConstruct): construct is CfnAlarm => construct instanceof CfnAlarm)
      .map((alarm) => {
        const name = alarm.alarmName;
        if (!name) throw new Error(`${alarm.node.path} has no name.`);
        return Alarm.fromAlarmName(this, name, name);
      });
  }
}
