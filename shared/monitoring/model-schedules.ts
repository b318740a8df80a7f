import { createHash } from "node:crypto";
import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from "@aws-sdk/client-scheduler";
import { schedulerClient } from "#shared/aws/clients";
import { requiredEnv } from "#shared/config/environment";
import type { ModelConfig } from "#shared/schemas/model-config";
import { listModels } from "#shared/storage/model-store";
import { mapWithConcurrency } from "#shared/util/concurrency";

/** The environment the schedule-sync function gets from the CDK stack. */
export const SCHEDULE_ENV = {
  group: "CHECK_SCHEDULE_GROUP",
  target: "CHECK_STATE_MACHINE_ARN",
  role: "CHECK_SCHEDULER_ROLE_ARN",
  deadLetterQueue: "CHECK_DLQ_ARN",
} as const;

/** Schedules written at once by the resync: well within Scheduler's API rate. */
const PARALLEL_SYNCS = 4;

/** Attempts EventBridge Scheduler makes to start a check before it goes to the dead-letter queue. */
const RETRY_ATTEMPTS = 5;

/** Scheduler's longest schedule name. */
const MAX_NAME_LENGTH = 64;
const PREFIX = "driftwatch-";

/**
 * One schedule per model, named after it (model ids are valid schedule names: `[A-Za-z0-9_.-]`). A
 * model id too long for Scheduler's 64 characters keeps its first 40 and a hash of the whole, so
 * names stay unique and readable.
 */
export function scheduleName(modelId: string): string {
  const name = `${PREFIX}${modelId}`;
  if (name.length <= MAX_NAME_LENGTH) return name;
  const digest = createHash("sha256").update(modelId).digest("hex").slice(0, 12);
  return `${PREFIX}${modelId.slice(0, 40)}-${digest}`;
}

/**
 * The EventBridge Scheduler schedule that runs a model's checks: its config's `schedule` in UTC,
 * starting the check state machine with the model id and the scheduled time (which the window is
 * aligned to), retried with backoff by Scheduler and sent to the dead-letter queue when every
 * attempt failed, so a check that cannot start is never lost silently.
 */
export function scheduleFor(
  modelId: string,
  config: Pick<ModelConfig, "schedule">,
): CreateScheduleCommandInput {
  return {
    Name: scheduleName(modelId),
    GroupName: requiredEnv(SCHEDULE_ENV.group),
    ScheduleExpression: config.schedule,
    ScheduleExpressionTimezone: "UTC",
    FlexibleTimeWindow: { Mode: "OFF" },
    State: "ENABLED",
    Description: `DriftWatch checks of model ${modelId}`,
    Target: {
      Arn: requiredEnv(SCHEDULE_ENV.target),
      RoleArn: requiredEnv(SCHEDULE_ENV.role),
      Input: JSON.stringify({ modelId, scheduledTime: "<aws.scheduler.scheduled-time>" }),
      RetryPolicy: { MaximumRetryAttempts: RETRY_ATTEMPTS, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: requiredEnv(SCHEDULE_ENV.deadLetterQueue) },
    },
  };
}

/** Creates or updates the model's schedule to match its config. */
export async function putModelSchedule(
  modelId: string,
  config: Pick<ModelConfig, "schedule">,
): Promise<void> {
  const input = scheduleFor(modelId, config);
  try {
    await schedulerClient().send(new UpdateScheduleCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
    try {
      await schedulerClient().send(new CreateScheduleCommand(input));
    } catch (createError) {
      // Created meanwhile by a concurrent sync of the same change: the schedule is as it should be.
      if (!(createError instanceof ConflictException)) throw createError;
    }
  }
}

/**
 * Writes every model's schedule from its config: for models that existed before the stream's
 * function did (the stream starts at the newest change), or after the schedule group was recreated.
 * Returns how many schedules it wrote.
 */
export async function resyncAllSchedules(): Promise<number> {
  const models = await listModels();
  await mapWithConcurrency(models, PARALLEL_SYNCS, (model) => putModelSchedule(model.modelId, model.config));
  return models.length;
}

/** Deletes the model's schedule; one already gone is fine. */
export async function deleteModelSchedule(modelId: string): Promise<void> {
  try {
    await schedulerClient().send(
      new DeleteScheduleCommand({ Name: scheduleName(modelId), GroupName: requiredEnv(SCHEDULE_ENV.group) }),
    );
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
}
