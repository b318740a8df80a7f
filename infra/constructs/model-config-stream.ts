import { StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { modelsTable } from "#shared/aws/resources";
import type { DataStack } from "../data-stack.ts";

/** Stream batches: a few config changes at a time; a failing batch is halved down to its bad record. */
const STREAM_BATCH_SIZE = 10;
const STREAM_RETRY_ATTEMPTS = 5;

/**
 * The models table's stream as the event source of a function that keeps something in step with
 * the model configs (schedules, email subscriptions). It reads from the stream's end: existing models
 * are brought in step when their config is next written, or by the function's resync. A batch that
 * still fails after its retries goes to `onFailure`. DynamoDB serves two readers per shard without
 * throttling: these two are all it should have.
 */
export function modelConfigStream(data: DataStack, onFailure: IQueue): DynamoEventSource {
  return new DynamoEventSource(data.tableFor(modelsTable), {
    startingPosition: StartingPosition.LATEST,
    batchSize: STREAM_BATCH_SIZE,
    bisectBatchOnError: true,
    retryAttempts: STREAM_RETRY_ATTEMPTS,
    // A failure fails the batch: the handlers report no partial failures.
    reportBatchItemFailures: false,
    onFailure: new SqsDlq(onFailure),
  });
}
