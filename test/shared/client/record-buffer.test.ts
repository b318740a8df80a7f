import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DriftWatchClient, DriftWatchClientOptions } from "#shared/client/driftwatch-client";
import { loggingClient } from "../../support/driftwatch-client.ts";
import { scriptedApi, settle } from "./support/scripted-api.ts";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const record = (i: number) => ({ id: `r${i}`, features: { x: i }, prediction: i % 2 });

const clientOf = (api: ReturnType<typeof scriptedApi>, options: Partial<DriftWatchClientOptions> = {}) =>
  loggingClient(api.fetch, options);

/** `promise`, with whether it has resolved yet, for a test that lets it run while checking. */
function watched(promise: Promise<unknown>) {
  const watch = {
    resolved: false,
    done: promise.then(() => {
      watch.resolved = true;
    }),
  };
  return watch;
}

async function logAll(client: DriftWatchClient, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await client.log(record(i));
}

describe("the record buffer of DriftWatchClient.log", () => {
  it("sends a batch as soon as batchSize records wait, in the order they were logged", async () => {
    const api = scriptedApi();
    const { client } = clientOf(api, { batchSize: 3, flushIntervalMs: 60_000 });
    await logAll(client, 0, 7);
    await settle();
    expect(api.batchSizes()).toEqual([3, 3]);
    expect(api.requests.flatMap((request) => request.body.records.map((r: { id: string }) => r.id))).toEqual([
      "r0",
      "r1",
      "r2",
      "r3",
      "r4",
      "r5",
    ]);
    expect(api.requests[0]?.url.pathname).toBe("/v1/models/churn/predictions");
    expect(api.requests[0]?.headers.get("authorization")).toBe("Bearer secret");
    await client.close();
    expect(api.batchSizes()).toEqual([3, 3, 1]);
  });

  it("sends an unfilled batch flushIntervalMs after its first record, not after its last", async () => {
    const api = scriptedApi();
    const { client } = clientOf(api, { flushIntervalMs: 1000 });
    await client.log(record(1));
    await vi.advanceTimersByTimeAsync(600);
    await client.log(record(2));
    await vi.advanceTimersByTimeAsync(399);
    await settle();
    expect(api.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(api.batchSizes()).toEqual([2]);
    // The next record starts a new interval.
    await client.log(record(3));
    await vi.advanceTimersByTimeAsync(999);
    await settle();
    expect(api.batchSizes()).toEqual([2]);
    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(api.batchSizes()).toEqual([2, 1]);
    await client.close();
  });

  it("makes log wait while maxBufferedRecords are buffered or in flight, and lets it in once a batch is done", async () => {
    const api = scriptedApi(undefined, { held: true });
    const { client } = clientOf(api, { batchSize: 2, maxBufferedRecords: 4, flushIntervalMs: 60_000 });
    await logAll(client, 0, 4);
    const fifth = watched(client.log(record(4)));
    await settle();
    // One request in flight (r0, r1), one batch waiting for it (r2, r3): the buffer is full.
    expect(api.batchSizes()).toEqual([2]);
    expect(fifth.resolved).toBe(false);
    api.release();
    await fifth.done;
    await settle();
    expect(api.batchSizes()).toEqual([2, 2]);
    const sixth = watched(client.log(record(5)));
    await settle();
    // Four held again: r2 and r3 in flight, r4 and r5 in the open batch.
    expect(sixth.resolved).toBe(true);
    const seventh = watched(client.log(record(6)));
    await settle();
    expect(seventh.resolved).toBe(false);
    const closed = client.close();
    for (let i = 0; i < 3; i++) {
      api.release();
      await settle();
    }
    await Promise.all([sixth.done, seventh.done, closed]);
    expect(api.batchSizes()).toEqual([2, 2, 2, 1]);
  });

  it("never holds more than maxBufferedRecords while the API is slow, one request at a time", async () => {
    const api = scriptedApi(undefined, { held: true });
    const { client } = clientOf(api, { batchSize: 10, maxBufferedRecords: 25, flushIntervalMs: 60_000 });
    let admitted = 0;
    const logs = Array.from({ length: 100 }, (_, i) => client.log(record(i)).then(() => admitted++));
    let answered = 0;
    let mostHeld = 0;
    for (let released = 0; answered < 100; released++) {
      await settle();
      expect(api.requests).toHaveLength(released + 1);
      mostHeld = Math.max(mostHeld, admitted - answered);
      answered += api.batchSizes()[released] ?? 0;
      api.release();
    }
    await Promise.all(logs);
    await client.close();
    expect(mostHeld).toBe(25);
    expect(api.batchSizes()).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
  });

  it("flush sends what is buffered at once and resolves when the API has answered", async () => {
    const api = scriptedApi(undefined, { held: true });
    const { client } = clientOf(api, { flushIntervalMs: 60_000 });
    await logAll(client, 0, 5);
    const flush = watched(client.flush());
    await settle();
    expect(api.batchSizes()).toEqual([5]);
    expect(flush.resolved).toBe(false);
    api.release();
    await flush.done;
    expect(flush.resolved).toBe(true);
    await client.flush();
    expect(api.requests).toHaveLength(1);
  });

  it("close sends what is left, stops the timer and refuses later records", async () => {
    const api = scriptedApi();
    const { client } = clientOf(api, { flushIntervalMs: 60_000 });
    await logAll(client, 0, 3);
    expect(vi.getTimerCount()).toBe(1);
    await client.close();
    expect(api.batchSizes()).toEqual([3]);
    expect(vi.getTimerCount()).toBe(0);
    await expect(client.log(record(9))).rejects.toThrow("log() after close()");
  });

  it("starts a new batch at an id already in the open one, which the API would refuse in one request", async () => {
    const api = scriptedApi();
    const { client } = clientOf(api);
    await client.log(record(1));
    await client.log(record(2));
    await client.log(record(1));
    await client.close();
    expect(api.requests.map((request) => request.body.records.map((r: { id: string }) => r.id))).toEqual([
      ["r1", "r2"],
      ["r1"],
    ]);
  });
});
