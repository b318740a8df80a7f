import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import type { RollbackTargets } from "./alert-context.ts";
import { AlertFanOut } from "./constructs/alert-fan-out.ts";
import type { DataStack } from "./data-stack.ts";

export interface AlertStackProps extends StackProps {
  readonly data: DataStack;
  readonly retentionDays: number;
  /** From the `rollbackTargets` context: what a rollback may change. */
  readonly rollbackTargets: RollbackTargets;
  /** From the `alertEmail` context: the address that hears of every model's alerts. */
  readonly alertEmail?: string;
}

/**
 * Stateless, like the API and check stacks: the subscribers of the data stack's alerts topic. The
 * topic, the alert tables, the dead-letter queue and the Slack secret stay in the data stack.
 */
export class AlertStack extends Stack {
  readonly fanOut: AlertFanOut;

  constructor(scope: Construct, id: string, props: AlertStackProps) {
    super(scope, id, props);

    this.fanOut = new AlertFanOut(this, "AlertFanOut", props);

    new CfnOutput(this, "EmailSubscriptionSyncDeadLetterQueueUrl", {
      value: this.fanOut.emailSyncDeadLetterQueue.queueUrl,
      description: "SQS queue of model config changes whose email subscriptions could not be synced",
    });
  }
}
