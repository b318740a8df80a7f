import { rm } from "node:fs/promises";
import { join } from "node:path";
import { generateAdminToken } from "#shared/auth/api-token";
import { type LocalApi, startLocalApi } from "./api-gateway.ts";
import { type Emulator, startDynamoDbLocal } from "./dynamodb-local.ts";
import { startFauxqs } from "./fauxqs.ts";
import { portOrFree } from "./free-port.ts";
import { LOCAL_REGION, localCredentials } from "./local-credentials.ts";
import { provisionLocalResources } from "./provision.ts";

export interface LocalRuntimeOptions {
  /** API port; 0 for any free one. */
  apiPort: number;
  /** Preferred emulator ports (a busy one falls back to a free port); undefined for any. */
  awsPort?: number;
  dynamoDbPort?: number;
  /** Where data persists between runs; undefined keeps everything in memory. */
  dataDir?: string;
  /** Wipe `dataDir` before starting. */
  fresh?: boolean;
  adminToken?: string;
  onProgress?: (message: string) => void;
}

export interface LocalRuntime {
  apiUrl: string;
  adminToken: string;
  awsEndpoint: string;
  dynamoDbEndpoint: string;
  /** The environment the handlers run with (also what a test needs to inspect the emulators). */
  environment: Record<string, string>;
  stop: () => Promise<void>;
}

/**
 * The whole system on one machine: the emulators as child processes, the resources provisioned
 * from the shared definitions, and the HTTP API calling the real handlers in this process.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const progress = options.onProgress ?? (() => undefined);
  if (options.dataDir && options.fresh) await rm(options.dataDir, { recursive: true, force: true });
  const started: Array<{ stop: () => Promise<void> }> = [];
  const stop = async () => {
    for (const part of started.reverse()) await part.stop();
  };
  try {
    progress("Starting DynamoDB Local...");
    const dynamoDb: Emulator = await startDynamoDbLocal(
      await portOrFree(options.dynamoDbPort),
      options.dataDir && join(options.dataDir, "dynamodb"),
    );
    started.push(dynamoDb);
    progress("Starting the S3/SNS/SQS emulator...");
    const aws = await startFauxqs(
      await portOrFree(options.awsPort),
      options.dataDir && join(options.dataDir, "s3"),
    );
    started.push(aws);
    progress("Provisioning tables, bucket, topic and queues...");
    const resources = await provisionLocalResources({ aws: aws.endpoint, dynamoDb: dynamoDb.endpoint });
    const adminToken = options.adminToken || generateAdminToken();
    const environment: Record<string, string> = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamoDb.endpoint,
      DRIFTWATCH_ADMIN_TOKEN: adminToken,
      POWERTOOLS_SERVICE_NAME: "driftwatch",
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
      ...resources,
    };
    // The handlers run in this process, so their "function configuration" is this process's env.
    Object.assign(process.env, environment);
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    const api: LocalApi = await startLocalApi(options.apiPort);
    started.push({ stop: api.close });
    return {
      apiUrl: api.url,
      adminToken,
      awsEndpoint: aws.endpoint,
      dynamoDbEndpoint: dynamoDb.endpoint,
      environment,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
