import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { CheckPipeline, SCHEDULE_SYNC_HANDLER } from "./constructs/check-pipeline.ts";
import type { DataStack } from "./data-stack.ts";

export interface CheckStackProps extends StackProps {
  readonly data: DataStack;
  readonly retentionDays: number;
  /** The API's base URL, for the links in the alert messages the finish step publishes. */
  readonly apiUrl?: string;
}

/** Stateless, like the API stack: the scheduled checks, which read and write the data stack's resources. */
export class CheckStack extends Stack {
  readonly pipeline: CheckPipeline;

  constructor(scope: Construct, id: string, props: CheckStackProps) {
    super(scope, id, props);

    this.pipeline = new CheckPipeline(this, "CheckPipeline", props);

    new CfnOutput(this, "CheckStateMachineArn", {
      value: this.pipeline.stateMachine.stateMachineArn,
      description: "Step Functions state machine that runs a model's scheduled check",
    });
    new CfnOutput(this, "ScheduleSyncFunctionName", {
      value: this.pipeline.functions.get(SCHEDULE_SYNC_HANDLER)?.lambda.functionName ?? "",
      description: 'Invoke with {"resync": true} to write every model\'s check schedule from its config',
    });
    new CfnOutput(this, "CheckDeadLetterQueueUrl", {
      value: this.pipeline.checkDeadLetterQueue.queueUrl,
      description: "SQS queue of scheduled checks that could not start, failed or timed out",
    });
  }
}
