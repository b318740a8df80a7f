import { describe, expect, it, vi } from "vitest";
import { DriftWatchApiError } from "#shared/client/api-error";
import { FlushError, type RecordsNotStoredError } from "#shared/client/delivery-errors";
import type { DriftWatchClient, DriftWatchClientOptions } from "#shared/client/driftwatch-client";
import { ApiFailedError } from "#shared/http/with-retries";
import { loggingClient } from "../../support/driftwatch-client.ts";
import { accepted, problem, type Reply, scriptedApi } from "./support/scripted-api.ts";

const record = (i: number, overrides: Record<string, unknown> = {}) => ({
  id: `r${i}`,
  features: { x: i },
  prediction: i % 2,
  ...overrides,
});

function clientOf(replies: Reply[], options: Partial<DriftWatchClientOptions> = {}) {
  const api = scriptedApi(replies);
  const waits: number[] = [];
  const { client, errors } = loggingClient(api.fetch, {
    sleep: async (ms) => waits.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { client, api, errors, waits };
}

const flushError = (client: DriftWatchClient) =>
  client.flush().then(
    () => undefined,
    (error: unknown) => error,
  );

describe("DriftWatchClient.log", () => {
  it("gives a record without an id a UUID and without a timestamp the time it was logged", async () => {
    const { client, api } = clientOf([accepted]);
    const before = Date.now();
    await client.log({ features: { x: 1 }, prediction: 1 });
    await client.log({ features: { x: 2 }, prediction: 0, timestamp: "2026-01-01T00:00:00Z" });
    await client.close();
    const [first, second] = api.requests[0]?.body.records ?? [];
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(first.timestamp)).toBeGreaterThanOrEqual(before);
    expect(second.timestamp).toBe("2026-01-01T00:00:00Z");
  });

  it("reports the records a 400 names with their field errors, and stores the others", async () => {
    const refusal: Reply = () =>
      problem(400, {
        title: "Invalid request",
        detail: "2 problem(s) in the request; nothing was stored",
        errors: [
          { path: "records[3].timestamp", message: "must not be more than 7 days in the future" },
          { path: "records[1]", message: "duplicates the id of records[0]" },
        ],
      });
    const { client, api, errors } = clientOf([refusal, accepted]);
    for (let i = 0; i < 5; i++) await client.log(record(i));
    const error = await flushError(client);
    expect(api.batchSizes()).toEqual([5, 3]);
    expect(api.requests[1]?.body.records.map((r: { id: string }) => r.id)).toEqual(["r0", "r2", "r4"]);
    expect(errors).toHaveLength(1);
    const [refused] = errors as [RecordsNotStoredError];
    expect(refused.message).toBe(
      "the API refused 2 records: 400 Invalid request: 2 problem(s) in the request; nothing was stored",
    );
    expect(refused.status).toBe(400);
    expect(refused.records.map((r) => r.id)).toEqual(["r1", "r3"]);
    expect(refused.errors).toEqual([
      { path: "records[1].timestamp", message: "must not be more than 7 days in the future" },
      { path: "records[0]", message: 'duplicates the id of the record with id "r0"' },
    ]);
    expect(refused.cause).toBeInstanceOf(DriftWatchApiError);
    expect((refused.cause as DriftWatchApiError).problem?.detail).toBe(
      "2 problem(s) in the request; nothing was stored",
    );
    expect(error).toBeInstanceOf(FlushError);
    expect((error as FlushError).errors).toEqual([refused]);
    expect((error as FlushError).records.map((r) => r.id)).toEqual(["r1", "r3"]);
    expect((error as Error).message).toMatch(/^2 records were not stored: the API refused 2 records/);
    // Reported once: the next flush has nothing to say.
    await expect(client.flush()).resolves.toBeUndefined();
  });

  it("reports a whole batch a 400 refuses without naming records, with the problem's errors", async () => {
    const { client, errors } = clientOf([
      () => problem(400, { detail: "Invalid body", errors: [{ path: "(body)", message: "not JSON" }] }),
    ]);
    await client.log(record(1));
    await client.log(record(2));
    await expect(client.close()).rejects.toBeInstanceOf(FlushError);
    expect(errors.map((error) => error.records.length)).toEqual([2]);
    expect(errors[0]?.errors).toEqual([{ path: "(body)", message: "not JSON" }]);
  });

  it("retries a 503 and a 429 after their Retry-After, then reports a batch still refused after the retries", async () => {
    const unavailable: Reply = () => problem(503, { title: "Service unavailable" }, { "retry-after": "2" });
    const throttled: Reply = () => problem(429, { title: "Too many requests" }, { "retry-after": "1" });
    const { client, api, errors, waits } = clientOf([unavailable, throttled, accepted]);
    await client.log(record(1));
    await client.flush();
    expect(api.requests).toHaveLength(3);
    expect(waits).toEqual([2000, 1000]);
    expect(errors).toEqual([]);

    const down = clientOf([unavailable], { retry: { retries: 2 } });
    await down.client.log(record(1));
    const error = await flushError(down.client);
    expect(down.api.requests).toHaveLength(3);
    expect(error).toBeInstanceOf(FlushError);
    const [lost] = down.errors;
    expect(lost?.message).toMatch(
      /^1 record not stored: gave up on POST \/v1\/models\/churn\/predictions after 3 attempts: 503/,
    );
    expect(lost?.status).toBe(503);
    expect(lost?.cause).toBeInstanceOf(DriftWatchApiError);
  });

  it("reports a batch the API never answered, with the network error", async () => {
    const unreachable: Reply = () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      });
    };
    const { client, errors } = clientOf([unreachable], { retry: { retries: 1 } });
    await client.log(record(1));
    await expect(client.flush()).rejects.toBeInstanceOf(FlushError);
    expect(errors[0]?.cause).toBeInstanceOf(ApiFailedError);
    expect(errors[0]?.status).toBeUndefined();
    expect(errors[0]?.message).toContain("network error (ECONNREFUSED)");
  });

  it("reports an invalid record at once with its field errors, and sends the valid ones", async () => {
    const { client, api, errors } = clientOf([accepted]);
    await client.log(record(1, { latencyMs: -1 }));
    await client.log(record(2));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.errors).toEqual([
      { path: "records[0].latencyMs", message: "Too small: expected number to be >=0" },
    ]);
    expect(errors[0]?.records).toEqual([record(1, { latencyMs: -1 })]);
    await expect(client.close()).rejects.toBeInstanceOf(FlushError);
    expect(api.requests.map((request) => request.body.records.map((r: { id: string }) => r.id))).toEqual([
      ["r2"],
    ]);
  });

  it("halves a batch the API finds too large, and reports a lone record it still refuses", async () => {
    const tooLarge: Reply = (request, index) =>
      request.body.records.some((r: { id: string }) => r.id === "r3") || index === 0
        ? problem(413, { title: "Payload too large" })
        : accepted(request, index);
    const { client, api, errors } = clientOf([tooLarge]);
    for (let i = 0; i < 4; i++) await client.log(record(i));
    await expect(client.close()).rejects.toBeInstanceOf(FlushError);
    expect(api.batchSizes()).toEqual([4, 2, 2, 1, 1]);
    expect(errors.map((error) => error.records.map((r) => r.id))).toEqual([["r3"]]);
  });

  it("keeps at most maxBufferedRecords of unreported failures, counting the ones it dropped", async () => {
    const { client } = clientOf([() => problem(400, { detail: "no" })], {
      batchSize: 2,
      maxBufferedRecords: 4,
    });
    for (let i = 0; i < 10; i++) await client.log(record(i));
    const error = (await flushError(client)) as FlushError;
    expect(error.records.map((r) => r.id)).toEqual(["r6", "r7", "r8", "r9"]);
    expect(error.omittedRecords).toBe(6);
    expect(error.message).toMatch(/^10 records were not stored/);
  });

  it("emits a process warning for a failure when there is no onError", async () => {
    const emitWarning = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    try {
      const { client } = clientOf([accepted], { onError: undefined });
      await client.log({ features: {}, prediction: Number.NaN });
      await expect(client.close()).rejects.toBeInstanceOf(FlushError);
      expect(emitWarning).toHaveBeenCalledOnce();
      expect(emitWarning.mock.calls[0]).toEqual([
        expect.objectContaining({
          message: "invalid record: records[0].prediction: must be a finite number or a string",
        }),
      ]);
    } finally {
      emitWarning.mockRestore();
    }
  });
});
