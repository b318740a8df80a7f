import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { baselineRegistrationQueue } from "#shared/aws/resources";
import { deadLetterQueueAlarm } from "../alarms.ts";
import { createHandlerFunction, type HandlerFunctionProps } from "../handler-function.ts";
import { handlerSpecFor } from "../handler-specs.ts";
import type { MonitoringFunction } from "./monitoring-function.ts";

/** Registers the uploads too large to register within an API call, from the registration queue. */
export const BASELINE_REGISTRATION_HANDLER = "register-baseline";

/** Failed registrations stay in the dead-letter queue for SQS's maximum. */
const DEAD_LETTER_RETENTION = Duration.days(14);

const IS_A_DEAD_LETTER_QUEUE =
  "This queue is itself the registration queue's dead-letter destination; a dead-letter queue for it would only move the same failed messages once more.";

/**
 * The asynchronous half of `PUT .../baseline` `{upload}`: a queue (SQS-managed encryption, TLS only,
 * a dead-letter queue after `maxReceiveCount` receives, both retained) feeding the register-baseline
 * worker one message at a time, reporting each message's failure on its own.
 */
export class BaselineRegistration extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly worker: MonitoringFunction;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const timeout = handlerSpecFor(BASELINE_REGISTRATION_HANDLER).timeout ?? Duration.seconds(10);
    const visibilityTimeout = Duration.seconds(baselineRegistrationQueue.visibilityTimeoutSeconds);
    if (visibilityTimeout.toSeconds() < 6 * timeout.toSeconds()) {
      throw new Error(
        "The registration queue's visibility timeout must be at least 6 times the worker's timeout.",
      );
    }

    this.deadLetterQueue = new Queue(this, baselineRegistrationQueue.deadLetterQueue.constructId, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
      // Failed registrations are evidence; they outlive the stateless stack, and the retention empties them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge(
      { id: "AwsSolutions-SQS3", reason: IS_A_DEAD_LETTER_QUEUE },
      { id: "Serverless-SQSRedrivePolicy", reason: IS_A_DEAD_LETTER_QUEUE },
    );
    deadLetterQueueAlarm(
      this.deadLetterQueue,
      props.data.operationsTopic,
      "A baseline upload whose registration failed 3 times (its status record says failed)",
    );
    this.queue = new Queue(this, baselineRegistrationQueue.constructId, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout,
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: baselineRegistrationQueue.maxReceiveCount,
      },
      // A queued registration outlives a redeploy of the stateless stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.worker = createHandlerFunction(this, BASELINE_REGISTRATION_HANDLER, props);
    this.worker.lambda.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    Validations.of(this.worker.lambda).acknowledge(
      {
        id: "Serverless-LambdaDLQ",
        reason:
          "Invoked by the registration queue's event source mapping, never asynchronously: a message that keeps failing moves to the queue's own dead-letter queue after 3 receives.",
      },
      {
        id: "Serverless-LambdaEventSourceMappingDestination",
        reason:
          "An SQS event source mapping takes no on-failure destination (only stream and Kafka sources do): the queue's redrive policy moves a message that failed 3 receives to its dead-letter queue.",
      },
    );
  }

  /** Lets `fn` queue registrations, and tells it the queue's URL. */
  grantQueueing(fn: MonitoringFunction): void {
    this.queue.grantSendMessages(fn.lambda);
    fn.lambda.addEnvironment(baselineRegistrationQueue.envVar, this.queue.queueUrl);
  }
}
