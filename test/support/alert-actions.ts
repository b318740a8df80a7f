import { afterAll, afterEach, beforeAll, beforeEach, inject, type MockInstance, vi } from "vitest";
import { logger } from "#shared/observability";
import { modelConfigSchema } from "#shared/schemas/model-config";
import { saveModel } from "#shared/storage/model-store";
import { uniqueModelId } from "./stored-data.ts";
import { type ReceivedPost, startWebhookReceiver, type WebhookReceiver } from "./webhook-receiver.ts";

export interface AlertActionHarness {
  /** The file's webhook receiver, started before its tests. */
  receiver: WebhookReceiver;
  /** The handlers' error and warning logs in the current test, kept off the console. */
  loggedErrors: MockInstance<typeof logger.error>;
  loggedWarnings: MockInstance<typeof logger.warn>;
  /**
   * A webhook of its own for one test, answering the statuses of `script` in turn (the last one
   * from then on); `posts` are what reached it.
   */
  webhook: (name: string, script?: number[]) => { url: string; posts: () => ReceivedPost[] };
}

/**
 * The setup of a test file of an alert action's handler (roll back, request retraining): the
 * suite's emulators and a webhook receiver for the file, the logger spied on in each test, and
 * `envVar`, which the tests set, restored after each.
 */
export function useAlertActionHarness(envVar: string): AlertActionHarness {
  const scripts = new Map<string, number[]>();
  const saved = process.env[envVar];
  const harness = {
    webhook(name, script = [200]) {
      const path = `/${uniqueModelId(name)}`;
      scripts.set(path, script);
      return {
        url: `${harness.receiver.url}${path}`,
        posts: () => harness.receiver.posts.filter((post) => post.path === path),
      };
    },
  } as AlertActionHarness;

  beforeAll(async () => {
    Object.assign(process.env, inject("awsEnvironment"));
    const receiver = await startWebhookReceiver();
    receiver.respond = (post) => {
      const script = scripts.get(post.path) ?? [200];
      const earlier = receiver.posts.filter((received) => received.path === post.path).length;
      const status = script[Math.min(earlier, script.length - 1)] ?? 200;
      // Retry-After 0: the retries of the production policy, without its waits.
      return status === 503 ? { status, headers: { "retry-after": "0" } } : status;
    };
    harness.receiver = receiver;
  });
  beforeEach(() => {
    // Quiet, and the errors and warnings kept for the tests to assert on.
    harness.loggedErrors = vi.spyOn(logger, "error").mockImplementation(() => undefined);
    harness.loggedWarnings = vi.spyOn(logger, "warn").mockImplementation(() => undefined);
    vi.spyOn(logger, "info").mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env[envVar];
    else process.env[envVar] = saved;
  });
  afterAll(async () => {
    await harness.receiver?.close();
  });
  return harness;
}

/** Stores a model whose config has these `alerts`, as PUT /v1/models/{modelId} would; returns its id. */
export async function createModel(name: string, alerts: Record<string, unknown>): Promise<string> {
  const modelId = uniqueModelId(name);
  const config = modelConfigSchema.parse({ task: "classification", alerts });
  await saveModel({ modelId, config, updatedAt: new Date().toISOString() });
  return modelId;
}
