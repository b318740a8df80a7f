import { describe, expect, it } from "vitest";
import {
  ApiFailedError,
  ApiRefusedError,
  emptySummary,
  type SendOptions,
  type SendSummary,
  sendRows,
} from "#shared/cli/send-batches";
import type { RecordRow } from "#shared/readers/record-rows";

interface Sent {
  records: Array<Record<string, unknown>>;
  headers: Headers;
  bytes: number;
}

type Reply = (sent: Sent, index: number) => Response | Promise<Response>;

const accepted: Reply = (sent) =>
  Response.json(
    { accepted: sent.records.length, ids: sent.records.map((record) => record.id), duplicates: 0 },
    { status: 202 },
  );

const problem = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: "about:blank", status, ...body }), {
    status,
    headers: { "content-type": "application/problem+json", ...headers },
  });

/** Runs sendRows against a scripted API: `replies[i]` answers the i-th request, the last one every later one. */
async function run(rows: RecordRow[], replies: Reply[], options: Partial<SendOptions> = {}) {
  const requests: Sent[] = [];
  const rejected: Array<[number, string[]]> = [];
  const waits: number[] = [];
  const notes: string[] = [];
  const summary: SendSummary = emptySummary();
  const fetchStub: typeof fetch = async (_url, init) => {
    const body = String(init?.body);
    const sent = {
      records: JSON.parse(body).records,
      headers: new Headers(init?.headers),
      bytes: Buffer.byteLength(body),
    };
    requests.push(sent);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)] as Reply;
    return reply(sent, requests.length - 1);
  };
  const outcome = sendRows(toAsync(rows), summary, {
    api: "http://127.0.0.1:9",
    model: "m",
    token: "secret",
    batchSize: 1000,
    unit: "line",
    onRejected: (line, problems) => rejected.push([line, problems]),
    onProgress: (waiting) => {
      if (waiting) notes.push(waiting);
    },
    fetch: fetchStub,
    sleep: async (ms) => waits.push(ms),
    random: () => 0.5,
    ...options,
  });
  const error = await outcome.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return { requests, rejected, waits, notes, summary, error };
}

async function* toAsync(rows: RecordRow[]): AsyncGenerator<RecordRow> {
  yield* rows;
}

const good = (line: number, overrides: Record<string, unknown> = {}): RecordRow => ({
  line,
  row: { id: `r${line}`, features: { x: line }, prediction: line % 2, ...overrides },
});

const lines = (count: number, first = 2) => Array.from({ length: count }, (_, index) => good(first + index));

describe("sendRows", () => {
  it("sends 2,500 rows as batches of 1000, 1000 and 500 with the bearer token, and sums the answers", async () => {
    const { requests, summary, error } = await run(lines(2500), [accepted]);
    expect(error).toBeUndefined();
    expect(requests.map((request) => request.records.length)).toEqual([1000, 1000, 500]);
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer secret");
    expect(requests[0]?.headers.get("content-type")).toBe("application/json");
    expect(requests.flatMap((request) => request.records.map((record) => record.id))).toEqual(
      lines(2500).map((row) => ("row" in row ? row.row.id : undefined)),
    );
    expect(summary).toEqual({
      rows: 2500,
      sent: 2500,
      accepted: 2500,
      duplicates: 0,
      rejected: 0,
      batches: 3,
    });
  });

  it("gives a row without an id a UUID once, so its retries carry the same id", async () => {
    const { requests } = await run(
      [{ line: 2, row: { features: {}, prediction: 1 } }],
      [() => problem(503, { title: "Service unavailable" }, { "retry-after": "0" }), accepted],
    );
    expect(requests).toHaveLength(2);
    const id = requests[0]?.records[0]?.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(requests[1]?.records[0]?.id).toBe(id);
  });

  it("keeps each request under the byte limit, and refuses a record that could never fit", async () => {
    const big = (line: number) => good(line, { features: { text: "x".repeat(300) } });
    const rows = [big(2), big(3), big(4), big(5), good(6, { features: { text: "y".repeat(2000) } }), big(7)];
    const { requests, rejected, summary } = await run(rows, [accepted], { maxRequestBytes: 1000 });
    expect(requests.map((request) => request.records.map((record) => record.id))).toEqual([
      ["r2", "r3"],
      ["r4", "r5"],
      ["r7"],
    ]);
    expect(Math.max(...requests.map((request) => request.bytes))).toBeLessThanOrEqual(1000);
    expect(rejected).toEqual([
      [6, [expect.stringMatching(/^the record takes \d+ bytes, more than one request/)]],
    ]);
    expect(summary.rejected).toBe(1);
  });

  it("counts the escaping of the body inside the Lambda event against the limit", async () => {
    // 300 quotes serialize to 600 bytes of JSON and take 1200 once the event escapes them again.
    const quotes = good(2, { features: { text: '"'.repeat(300) } });
    const { requests, rejected } = await run([quotes], [accepted], { maxRequestBytes: 1000 });
    expect(requests).toHaveLength(0);
    expect(rejected).toHaveLength(1);
  });

  it("starts a new batch at an id already in the current one, so the API counts it a duplicate", async () => {
    const { requests } = await run([good(2), good(3), good(2), good(4)], [accepted]);
    expect(requests.map((request) => request.records.map((record) => record.id))).toEqual([
      ["r2", "r3"],
      ["r2", "r4"],
    ]);
  });

  it("lists bad rows with their problems and sends only the good ones", async () => {
    const rows: RecordRow[] = [
      good(2),
      { line: 3, problem: "3 fields where the header has 2" },
      good(4, { latencyMs: -1, features: { age: [1] } }),
      good(5),
    ];
    const { requests, rejected, summary } = await run(rows, [accepted]);
    expect(requests.map((request) => request.records.map((record) => record.id))).toEqual([["r2", "r5"]]);
    expect(rejected).toEqual([
      [3, ["3 fields where the header has 2"]],
      [
        4,
        [
          "features.age: feature value must be a finite number, a string, a boolean or null",
          expect.stringMatching(/^latencyMs: /),
        ],
      ],
    ]);
    expect(summary).toEqual({ rows: 4, sent: 2, accepted: 2, duplicates: 0, rejected: 2, batches: 1 });
  });

  it("maps the records[i] paths of a 400 to lines and sends the rest of the batch again", async () => {
    const refusal = () =>
      problem(400, {
        title: "Invalid request",
        detail: "2 problem(s) in the request; nothing was stored",
        errors: [
          { path: "records[1].timestamp", message: "must not be more than 7 days in the future" },
          { path: "records[3].id", message: "duplicates the id of records[0]" },
        ],
      });
    const { requests, rejected, summary } = await run(lines(4, 10), [refusal, accepted]);
    expect(requests.map((request) => request.records.length)).toEqual([4, 2]);
    expect(requests[1]?.records.map((record) => record.id)).toEqual(["r10", "r12"]);
    expect(rejected).toEqual([
      [11, ["timestamp: must not be more than 7 days in the future"]],
      [13, ["id: duplicates the id of line 10"]],
    ]);
    expect(summary).toEqual({ rows: 4, sent: 4, accepted: 2, duplicates: 0, rejected: 2, batches: 1 });
  });

  it("rejects the whole batch when a 400 names no record", async () => {
    const { rejected, summary } = await run(lines(2), [
      () => problem(400, { title: "Invalid request", detail: "The request body is not valid JSON" }),
    ]);
    expect(rejected).toEqual([
      [2, ["the API refused the whole request (400 Invalid request: The request body is not valid JSON)"]],
      [3, ["the API refused the whole request (400 Invalid request: The request body is not valid JSON)"]],
    ]);
    expect(summary.rejected).toBe(2);
  });

  it("halves a batch the API finds too large (413)", async () => {
    const tooLarge: Reply = (sent) =>
      sent.records.length > 2 ? problem(413, { title: "Payload too large" }) : accepted(sent, 0);
    const { requests, summary } = await run(lines(5), [tooLarge]);
    expect(requests.map((request) => request.records.length)).toEqual([5, 2, 3, 1, 2]);
    expect(summary).toMatchObject({ sent: 5, accepted: 5, batches: 3 });
  });

  it("retries 503 and 429 after their Retry-After, in seconds or as a date", async () => {
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    const { requests, waits, notes, summary } = await run(lines(3), [
      () =>
        problem(
          503,
          { title: "Service unavailable", detail: "Storage is unavailable" },
          { "retry-after": "3" },
        ),
      () => problem(429, { title: "Too many requests" }, { "retry-after": inTwoSeconds }),
      accepted,
    ]);
    expect(requests).toHaveLength(3);
    expect(waits[0]).toBe(3000);
    expect(waits[1]).toBeGreaterThan(0);
    expect(waits[1]).toBeLessThanOrEqual(2000);
    expect(notes[0]).toBe(
      "lines 2-4: 503 Service unavailable: Storage is unavailable; retry 1 of 5 in 3.0 s",
    );
    expect(summary).toMatchObject({ sent: 3, accepted: 3, batches: 1 });
  });

  it("backs off exponentially with full jitter on network errors, then gives up with the last reason", async () => {
    const unreachable: Reply = () => {
      throw new TypeError("fetch failed", {
        cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      });
    };
    const { requests, waits, error, summary } = await run(lines(2), [unreachable], {
      retry: { retries: 4, baseDelayMs: 100, maxDelayMs: 500 },
    });
    expect(requests).toHaveLength(5);
    // random() = 0.5: half of 100, 200, 400, then the 500 ms cap.
    expect(waits).toEqual([50, 100, 200, 250]);
    expect(error).toBeInstanceOf(ApiFailedError);
    expect((error as Error).message).toBe(
      "gave up on lines 2-3 after 5 attempts: network error (ECONNREFUSED)",
    );
    expect(summary).toMatchObject({ sent: 2, accepted: 0, batches: 0 });
  });

  it("caps a long Retry-After, and retries a timed-out request", async () => {
    const slow: Reply = () => {
      throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
    };
    const { waits, notes } = await run(
      lines(1),
      [() => problem(503, { title: "Service unavailable" }, { "retry-after": "86400" }), slow, accepted],
      { retry: { maxRetryAfterMs: 10_000, timeoutMs: 2000 } },
    );
    expect(waits[0]).toBe(10_000);
    expect(notes[1]).toMatch(/^line 2: no answer within 2 s; retry 2 of 5/);
  });

  it("stops at once on 401, 403 and 404, naming what to check", async () => {
    const outcomes = await Promise.all(
      [401, 403, 404].map((status) =>
        run(lines(3), [() => problem(status, { title: "No", detail: "nope" })]),
      ),
    );
    for (const { requests, error } of outcomes) {
      expect(requests).toHaveLength(1);
      expect(error).toBeInstanceOf(ApiRefusedError);
    }
    expect(outcomes.map(({ error }) => (error as Error).message)).toEqual([
      "the API refused the token (401 No: nope); check --token",
      "the token may not send predictions to this model (403 No: nope); check --token and --model",
      "the API has no such model, or --api is not a DriftWatch API (404 No: nope); check --model and --api",
    ]);
  });

  it("fails on an answer it cannot use, naming the lines of the batch", async () => {
    const [internal, notJson] = await Promise.all([
      run(lines(2), [() => problem(500, { title: "Internal error", detail: "logged" })]),
      run(lines(2), [() => new Response("<html>hello</html>", { status: 202 })]),
    ]);
    expect((internal.error as Error).message).toBe(
      "the API answered 500 Internal error: logged for lines 2-3",
    );
    expect(internal.requests).toHaveLength(1);
    expect((notJson.error as Error).message).toBe(
      "the API answered 202 for lines 2-3 without {accepted, duplicates}",
    );
  });
});
