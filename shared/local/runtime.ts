import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CreateQueueCommand, type Message } from "@aws-sdk/client-sqs";
import { generateAdminToken } from "#shared/auth/api-token";
import { sqsClient } from "#shared/aws/clients";
import { API_URL_ENV_VAR, alertsTopic, baselineRegistrationQueue } from "#shared/aws/resources";
import { logger } from "#shared/observability";
import { loadOrCreateAdminToken } from "./admin-token-file.ts";
import { startAlertFanOut } from "./alert-fan-out.ts";
import { type LocalApi, startLocalApi } from "./api-gateway.ts";
import { type LocalAwsOptions, startLocalAws } from "./local-aws.ts";
import { type ScheduledCheckEvent, startLocalScheduler } from "./local-scheduler.ts";
import { type SpooledMail, startMailSpool, subscribeMailSpool } from "./mail-spool.ts";
import { startSqsEventSource } from "./sqs-event-source.ts";

/** The local stand-in for SNS email subscriptions: a queue the mail spool reads (no such queue on AWS). */
const MAIL_SPOOL_QUEUE = "driftwatch-mail-spool";

export interface LocalRuntimeOptions extends LocalAwsOptions {
  /** API port; 0 for any free one. */
  apiPort: number;
  /** Wipe `dataDir` (and with it the saved admin token) before starting. */
  fresh?: boolean;
  /** Wins over the token saved in `dataDir`, and is not written there; without either, a new one. */
  adminToken?: string;
  /** Told about every scheduled check that ran, or failed after its retries. */
  onCheck?: (event: ScheduledCheckEvent) => void;
  /** Told about every alert mail written to the spool. */
  onMail?: (mail: SpooledMail) => void;
  /** Told about every alert delivery that failed its last attempt and went to the alert dead-letter queue. */
  onAlertDeadLetter?: (queue: string, message: Message) => void;
}

export interface LocalRuntime {
  apiUrl: string;
  /** The web dashboard, served by the API's server. */
  dashboardUrl: string;
  adminToken: string;
  awsEndpoint: string;
  dynamoDbEndpoint: string;
  /** Where alert mails are written. */
  mailDir: string;
  /** The environment the handlers run with (also what a test needs to inspect the emulators). */
  environment: Record<string, string>;
  stop: () => Promise<void>;
}

/**
 * The whole system on one machine: the emulators as child processes, the resources provisioned
 * from the shared definitions, the HTTP API calling the real handlers in this process, the
 * scheduler running every model's checks on time with the same handlers, the baseline
 * registration queue feeding its worker as Lambda's event source mapping would, the alert topic's
 * subscription queues feeding the Slack, rollback and retraining handlers the same way, and the
 * alert mails written to a spool folder.
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
    // Links in alert messages point at this API.
    environment[API_URL_ENV_VAR] = api.url;
    process.env[API_URL_ENV_VAR] = api.url;
    const { QueueUrl: mailQueueUrl } = await sqsClient().send(
      new CreateQueueCommand({ QueueName: MAIL_SPOOL_QUEUE }),
    );
    await subscribeMailSpool(environment[alertsTopic.envVar] as string, mailQueueUrl as string);
    const mail = await startMailSpool({
      dataDir: options.dataDir ?? (await mkdtemp(join(tmpdir(), "driftwatch-"))),
      queueUrl: mailQueueUrl as string,
      onMail: options.onMail,
      onError: (error) => logger.error("Alert mail spool", { error }),
    });
    const alerts = startAlertFanOut({
      onError: (queue, error) => logger.error("Alert delivery failed; it is retried", { queue, error }),
      onDeadLetter: options.onAlertDeadLetter,
    });
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
      dashboardUrl: api.dashboardUrl,
      adminToken,
      awsEndpoint: aws.awsEndpoint,
      dynamoDbEndpoint: aws.dynamoDbEndpoint,
      mailDir: mail.dir,
      environment,
      stop: async () => {
        await scheduler.stop();
        await registrations.stop();
        await alerts.stop();
        await mail.stop();
        await api.close();
        await aws.stop();
      },
    };
  } catch (error) {
    await aws.stop();
    throw error;
  }
}
