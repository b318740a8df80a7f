import { rm } from "node:fs/promises";
import { generateAdminToken } from "#shared/auth/api-token";
import { baselineRegistrationQueue } from "#shared/aws/resources";
import { logger } from "#shared/observability";
import { loadOrCreateAdminToken } from "./admin-token-file.ts";
import { type LocalApi, startLocalApi } from "./api-gateway.ts";
import { type LocalAwsOptions, startLocalAws } from "./local-aws.ts";
import { type ScheduledCheckEvent, startLocalScheduler } from "./local-scheduler.ts";
import { startSqsEventSource } from "./sqs-event-source.ts";

export interface LocalRuntimeOptions extends LocalAwsOptions {
  /** API port; 0 for any free one. */
  apiPort: number;
  /** Wipe `dataDir` (and with it the saved admin token) before starting. */
  fresh?: boolean;
  /** Wins over the token saved in `dataDir`, and is not written there; without either, a new one. */
  adminToken?: string;
  /** Told about every scheduled check that ran, or failed after its retries. */
  onCheck?: (event: ScheduledCheckEvent) => void;
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
 * from the shared definitions, the HTTP API calling the real handlers in this process, the
 * scheduler running every model's checks on time with the same handlers, and the baseline
 * registration queue feeding its worker as Lambda's event source mapping would.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  if (options.dataDir && options.fresh) await rm(options.dataDir, { recursive: true, force: true });
  const adminToken =
    options.adminToken ||
    (options.dataDir ? await loadOrCreateAdminToken(options.dataDir) : generateAdminToken());
  const aws = await startLocalAws(options);
  try {
    const environment: Record<string, string> = {
      ...aws.environment,
      DRIFTWATCH_ADMIN_TOKEN: adminToken,
      POWERTOOLS_SERVICE_NAME: "driftwatch",
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
    };
    // The handlers run in this process, so their "function configuration" is this process's env.
    Object.assign(process.env, environment);
    delete process.env.AWS_PROFILE;
    delete process.env.AWS_SESSION_TOKEN;
    const api: LocalApi = await startLocalApi(options.apiPort);
    const scheduler = startLocalScheduler({ onCheck: options.onCheck ?? (() => undefined) });
    const registrations = startSqsEventSource({
      queueUrl: environment[baselineRegistrationQueue.envVar] as string,
      handler: "register-baseline",
      batchSize: 1,
      visibilityTimeoutSeconds: baselineRegistrationQueue.visibilityTimeoutSeconds,
      deadLetter: {
        queueUrl: environment[baselineRegistrationQueue.deadLetterQueue.envVar] as string,
        maxReceiveCount: baselineRegistrationQueue.maxReceiveCount,
      },
      onError: (error) => logger.error("Baseline registration queue", { error }),
    });
    return {
      apiUrl: api.url,
      adminToken,
      awsEndpoint: aws.awsEndpoint,
      dynamoDbEndpoint: aws.dynamoDbEndpoint,
      environment,
      stop: async () => {
        await scheduler.stop();
        await registrations.stop();
        await api.close();
        await aws.stop();
      },
    };
  } catch (error) {
    await aws.stop();
    throw error;
  }
}
