import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { sqsClient } from "#shared/aws/clients";
import { checkDeadLetterQueue } from "#shared/aws/resources";
import { requiredEnv } from "#shared/config/environment";
import type { GroupItem, PlannedCheck } from "#shared/monitoring/fan-out";
import { getJsonObject } from "#shared/storage/json-objects";
import { listModels } from "#shared/storage/model-store";
import { mapWithConcurrency } from "#shared/util/concurrency";
import { loadHandler } from "./handler-modules.ts";
import { lambdaContext } from "./lambda-context.ts";
import { nextFireAfter } from "./schedule-times.ts";

/** How often the scheduler looks at the clock and the models' configs. */
const TICK_MS = 1000;
/** Attempts at a check before it goes to the dead-letter queue, with doubling pauses from 1 s. */
const ATTEMPTS = 3;
/** Map items summarised at once, as the distributed map's concurrency would. */
const PARALLEL_GROUPS = 2;

export interface ScheduledCheckEvent {
  modelId: string;
  scheduledTime: Date;
  /** The finish step's answer: the check id, its rows and its drift verdict. */
  outcome?: {
    checkId: string;
    rows: number;
    drift: { status: string; driftedFeatures?: string[]; share?: number };
    performance?: { status: string; dropped?: boolean | null; drop?: number | null };
    /** The alert notifications the check published. */
    alerts?: {
      alertId: string;
      kind: string;
      severity: string;
      rule: string;
      feature?: string;
      value: number | null;
    }[];
  };
  error?: Error;
}

export interface LocalSchedulerOptions {
  /** Told about every check that ran or failed for good. */
  onCheck?: (event: ScheduledCheckEvent) => void;
  /** The clock; tests move it forward to meet a schedule without waiting for it. */
  now?: () => Date;
  /** Which models to schedule (default all): a test keeps to its own models on shared emulators. */
  includes?: (modelId: string) => boolean;
}

/**
 * EventBridge Scheduler and the check state machine, on this machine: every model's `schedule` fires
 * on time and runs the same three handlers the state machine runs on AWS (plan-check, one
 * summarize-batches per group, finish-check), with their input and output passed as Step Functions
 * would. A check that keeps failing ends in the check dead-letter queue and is reported, never dropped.
 * One check per model runs at a time; a fire time missed while the machine slept is skipped, as
 * EventBridge skips it.
 */
export function startLocalScheduler(options: LocalSchedulerOptions = {}): { stop: () => Promise<void> } {
  const now = options.now ?? (() => new Date());
  const onCheck = options.onCheck ?? (() => undefined);
  const includes = options.includes ?? (() => true);
  const next = new Map<string, { schedule: string; at: Date }>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const tick = async () => {
    const models = await listModels();
    const current = now();
    for (const { modelId, config } of models) {
      if (!includes(modelId)) continue;
      let due = next.get(modelId);
      if (!due || due.schedule !== config.schedule) {
        due = { schedule: config.schedule, at: nextFireAfter(config.schedule, current) };
        next.set(modelId, due);
      }
      if (due.at > current || running.has(modelId)) continue;
      const scheduledTime = due.at;
      next.set(modelId, { schedule: config.schedule, at: nextFireAfter(config.schedule, current) });
      // A check that could not even reach the dead-letter queue is still reported, never an unhandled rejection.
      const run = runWithRetries(modelId, scheduledTime)
        .catch((error: Error) => ({ modelId, scheduledTime, error }))
        .then((event) => {
          try {
            onCheck(event);
          } catch {
            // A listener's fault is its own; the scheduler goes on.
          }
        })
        .finally(() => running.delete(modelId));
      running.set(modelId, run);
    }
  };

  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    timer = setTimeout(async () => {
      await tick().catch((error: Error) => onCheck({ modelId: "(all)", scheduledTime: now(), error }));
      if (!stopped) loop();
    }, TICK_MS);
  };
  loop();

  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await Promise.allSettled(running.values());
    },
  };
}

/** One scheduled check, retried with backoff; one that fails every attempt goes to the dead-letter queue. */
async function runWithRetries(modelId: string, scheduledTime: Date): Promise<ScheduledCheckEvent> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      return { modelId, scheduledTime, outcome: await runStateMachine(modelId, scheduledTime) };
    } catch (error) {
      lastError = error as Error;
      if (attempt < ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** (attempt - 1)));
    }
  }
  await sendToDeadLetterQueue(modelId, scheduledTime, lastError as Error);
  return { modelId, scheduledTime, error: lastError as Error };
}

/** Plan, map, finish: the check state machine's three steps, in this process. */
async function runStateMachine(
  modelId: string,
  scheduledTime: Date,
): Promise<ScheduledCheckEvent["outcome"]> {
  const plan = (await invoke("plan-check", {
    modelId,
    scheduledTime: scheduledTime.toISOString(),
  })) as PlannedCheck;
  // The map reads its items from the data bucket, as the distributed map does.
  const items = (await getJsonObject(plan.items.key)) as GroupItem[];
  await mapWithConcurrency(items, PARALLEL_GROUPS, (item) => invoke("summarize-batches", item));
  return (await invoke("finish-check", plan)) as ScheduledCheckEvent["outcome"];
}

async function invoke(handlerName: string, event: unknown): Promise<unknown> {
  const handler = await loadHandler(handlerName);
  return handler(event, lambdaContext(handlerName));
}

async function sendToDeadLetterQueue(modelId: string, scheduledTime: Date, error: Error): Promise<void> {
  await sqsClient().send(
    new SendMessageCommand({
      QueueUrl: requiredEnv(checkDeadLetterQueue.envVar),
      MessageBody: JSON.stringify({
        modelId,
        scheduledTime: scheduledTime.toISOString(),
        error: error.message,
      }),
    }),
  );
}
