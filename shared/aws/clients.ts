import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SSMClient } from "@aws-sdk/client-ssm";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * Every AWS client, built once per process. Endpoints come from the SDK's standard
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` variables, so the same code reaches AWS,
 * LocalStack or the local emulators without a line of configuration here.
 */

// Throttling and transient faults are retried with the SDK's exponential backoff and jitter.
const retryPolicy = () => ({
  maxAttempts: Number(process.env.DRIFTWATCH_AWS_MAX_ATTEMPTS ?? 5),
  retryMode: "standard",
});

// Emulators serve buckets by path, not by virtual host.
const pointsAtEmulator = () => Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);

let s3: S3Client | undefined;
let s3Presigner: S3Client | undefined;
let dynamoDb: DynamoDBDocumentClient | undefined;
let secretsManager: SecretsManagerClient | undefined;
let scheduler: SchedulerClient | undefined;
let sqs: SQSClient | undefined;
let sns: SNSClient | undefined;
let lambda: LambdaClient | undefined;
let ssm: SSMClient | undefined;
let sageMaker: SageMakerClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export function s3Client(): S3Client {
  s3 ??= new S3Client({ ...retryPolicy(), forcePathStyle: pointsAtEmulator() });
  return s3;
}

/**
 * The client that signs upload URLs for others to use. It signs no checksum: by default the SDK
 * would sign the CRC32 of an empty body into the URL, which the real upload cannot match.
 */
export function s3PresignerClient(): S3Client {
  s3Presigner ??= new S3Client({
    ...retryPolicy(),
    forcePathStyle: pointsAtEmulator(),
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  return s3Presigner;
}

export function dynamoDbClient(): DynamoDBDocumentClient {
  dynamoDb ??= DynamoDBDocumentClient.from(new DynamoDBClient(retryPolicy()), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamoDb;
}

export function secretsManagerClient(): SecretsManagerClient {
  secretsManager ??= new SecretsManagerClient(retryPolicy());
  return secretsManager;
}

export function sqsClient(): SQSClient {
  // Queue URLs name their own host; emulators serve them on the configured endpoint instead.
  sqs ??= new SQSClient({ ...retryPolicy(), useQueueUrlAsEndpoint: false });
  return sqs;
}

export function schedulerClient(): SchedulerClient {
  scheduler ??= new SchedulerClient(retryPolicy());
  return scheduler;
}

export function snsClient(): SNSClient {
  sns ??= new SNSClient(retryPolicy());
  return sns;
}

export function lambdaClient(): LambdaClient {
  lambda ??= new LambdaClient(retryPolicy());
  return lambda;
}

export function ssmClient(): SSMClient {
  ssm ??= new SSMClient(retryPolicy());
  return ssm;
}

export function sageMakerClient(): SageMakerClient {
  sageMaker ??= new SageMakerClient(retryPolicy());
  return sageMaker;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient(retryPolicy());
  return eventBridge;
}
