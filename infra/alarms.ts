import { Duration, Stack } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, type IMetric, Stats, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { Queue } from "aws-cdk-lib/aws-sqs";
import type { Construct } from "constructs";

/** How often alarms look: five minutes, the period of SQS's own metrics. */
export const ALARM_PERIOD = Duration.minutes(5);

export interface OperationsAlarmProps {
  /** Ends the alarm's name, after the stack's: `DriftWatchApi-ingest-predictions-errors`. */
  readonly name: string;
  /** What went wrong and where to look: the text of the notification. */
  readonly description: string;
  readonly metric: IMetric;
  /** Fires at this value or above. @default 1, the first occurrence */
  readonly threshold?: number;
}

/**
 * An alarm that tells the operations topic when it fires. It looks at one period at a time and takes
 * a period without data as healthy: DriftWatch's failures are rare events, and a metric that is
 * absent (a function never invoked, a queue never written to) is no failure. It sends no OK
 * notification, which every new alarm would send once on its first evaluation.
 */
export function operationsAlarm(scope: Construct, id: string, topic: ITopic, props: OperationsAlarmProps) {
  const alarm = new Alarm(scope, id, {
    alarmName: `${Stack.of(scope).stackName}-${props.name}`,
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold ?? 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new SnsAction(topic));
  return alarm;
}

/**
 * Fires as soon as a dead-letter queue holds a message: each one is work that failed for good (a
 * check, an alert delivery, a registration, a sync) and waits for someone to look at it.
 */
export function deadLetterQueueAlarm(queue: Queue, topic: ITopic, what: string): Alarm {
  return operationsAlarm(queue, "MessagesAlarm", topic, {
    name: `${queue.node.id}-messages`,
    description: `${what} landed in the dead-letter queue ${queue.node.id}: read the messages (aws sqs receive-message) for the cause, then redrive or delete them.`,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      statistic: Stats.MAXIMUM,
      period: ALARM_PERIOD,
    }),
  });
}
