import { describe, expect, it } from "vitest";
import { ApiFailedError, type RetryPolicy, withRetries } from "#shared/http/with-retries";

const POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 1000,
};

/** An attempt answering each of `statuses` in turn (the last one from then on), and the waits asked for. */
function scripted(statuses: number[], headers: Record<string, string> = {}) {
  let calls = 0;
  const waits: number[] = [];
  return {
    attempt: async () =>
      new Response(null, { status: statuses[Math.min(calls++, statuses.length - 1)], headers }),
    sleep: async (ms: number) => {
      waits.push(ms);
    },
    waits,
    calls: () => calls,
  };
}

describe("withRetries", () => {
  it("waits the Retry-After the server gives before the next attempt", async () => {
    const server = scripted([429, 200], { "retry-after": "2" });
    const answer = await withRetries(server.attempt, {
      what: "the post",
      policy: POLICY,
      sleep: server.sleep,
    });
    expect(answer.status).toBe(200);
    expect(server.waits).toEqual([2000]);
  });

  it("backs off with full jitter, doubling the ceiling up to the maximum", async () => {
    const server = scripted([503, 503, 503, 200]);
    await withRetries(server.attempt, {
      what: "the post",
      policy: { ...POLICY, maxDelayMs: 300 },
      sleep: server.sleep,
      random: () => 0.5,
    });
    expect(server.waits).toEqual([50, 100, 150]);
  });

  it("gives up after the last retry, with the last reason", async () => {
    const server = scripted([503]);
    const error = await withRetries(server.attempt, {
      what: "the post",
      policy: POLICY,
      sleep: server.sleep,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiFailedError);
    expect((error as Error).message).toBe("gave up on the post after 4 attempts: 503");
    expect((error as ApiFailedError).answer).toEqual({ status: 503, body: undefined });
    expect(server.calls()).toBe(4);
  });

  it("starts no retry that would end past maxElapsedMs", async () => {
    const server = scripted([429], { "retry-after": "30" });
    const error = await withRetries(server.attempt, {
      what: "the post",
      policy: { ...POLICY, maxElapsedMs: 10_000 },
      sleep: server.sleep,
    }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      "gave up on the post after 1 attempt (a retry in 30.0 s would pass the 10.0 s allowed): 429",
    );
    expect(server.waits).toEqual([]);
  });
});
