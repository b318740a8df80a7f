import { join } from "node:path";
import { type Emulator, startDynamoDbLocal } from "./dynamodb-local.ts";
import { startFauxqs } from "./fauxqs.ts";
import { portOrFree } from "./free-port.ts";
import { LOCAL_REGION, localCredentials } from "./local-credentials.ts";
import { provisionLocalResources } from "./provision.ts";

export interface LocalAwsOptions {
  /** Preferred ports (a busy one falls back to a free port); undefined or 0 for any free one. */
  awsPort?: number;
  dynamoDbPort?: number;
  /** Where the emulators keep their data; undefined keeps everything in memory. */
  dataDir?: string;
  onProgress?: (message: string) => void;
}

export interface LocalAws {
  awsEndpoint: string;
  dynamoDbEndpoint: string;
  /** Region, dummy credentials, endpoints and resource names: what a handler needs to reach them. */
  environment: Record<string, string>;
  stop: () => Promise<void>;
}

/**
 * DynamoDB Local and fauxqs as child processes on 127.0.0.1, with every table, bucket, topic and
 * queue of the shared definitions provisioned: what `npm start`, the test suite and the benchmarks
 * all run on.
 */
export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const { dataDir, onProgress = () => undefined } = options;
  onProgress("Starting DynamoDB Local and the S3/SNS/SQS emulator...");
  const [dynamoDbStart, awsStart] = await Promise.allSettled([
    portOrFree(options.dynamoDbPort).then((port) =>
      startDynamoDbLocal(port, dataDir && join(dataDir, "dynamodb")),
    ),
    portOrFree(options.awsPort).then((port) => startFauxqs(port, dataDir && join(dataDir, "s3"))),
  ]);
  const started = [dynamoDbStart, awsStart].flatMap((start) =>
    start.status === "fulfilled" ? [start.value] : [],
  );
  const stop = async () => {
    await Promise.all(started.map((emulator: Emulator) => emulator.stop()));
  };
  try {
    if (dynamoDbStart.status === "rejected") throw dynamoDbStart.reason;
    if (awsStart.status === "rejected") throw awsStart.reason;
    const dynamoDb = dynamoDbStart.value;
    const aws = awsStart.value;
    onProgress("Provisioning tables, bucket, topic and queues...");
    const resources = await provisionLocalResources({ aws: aws.endpoint, dynamoDb: dynamoDb.endpoint });
    return {
      awsEndpoint: aws.endpoint,
      dynamoDbEndpoint: dynamoDb.endpoint,
      environment: {
        AWS_REGION: LOCAL_REGION,
        AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
        AWS_ENDPOINT_URL: aws.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamoDb.endpoint,
        ...resources,
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
