import { randomUUID } from "node:crypto";
import { MAX_BODY_BYTES } from "#shared/http/json-body";
import type { FieldError } from "#shared/http/problem";
import {
  type ApiAnswer,
  ApiFailedError,
  DEFAULT_RETRY_POLICY,
  describeAnswer,
  type RetryPolicy,
} from "#shared/http/with-retries";
import type { IngestResult } from "#shared/ingest/ingest-predictions";
import { checkRecord, type RecordRow } from "#shared/readers/record-rows";
import { MAX_RECORDS_PER_REQUEST } from "#shared/schemas/prediction-record";
import { callApi, refusal } from "./api-client.ts";

export { ApiFailedError } from "#shared/http/with-retries";
export { ApiRefusedError } from "./api-client.ts";

/**
 * Room left in the 6 MB Lambda invocation for the rest of the API Gateway event around the body
 * (headers, request context), which counts against the same limit on AWS.
 */
const EVENT_ENVELOPE_BYTES = 64 * 1024;
const BATCH_OPENING = '{"records":[';
const BATCH_CLOSING = "]}";
const QUOTE = 34;
const BACKSLASH = 92;

/** What a run has done so far; updated as it goes, so a run that fails still tells what was stored. */
export interface SendSummary {
  /** Rows read from the file, good or bad. */
  rows: number;
  /** Records sent to the API (each counted once, however often it was retried). */
  sent: number;
  /** Records the API took (202), stored now or before. */
  accepted: number;
  /** Of those, how many an earlier request had stored already (same id), so were not stored again. */
  duplicates: number;
  /** Rows not stored because they are invalid: found here, or refused by the API (400). */
  rejected: number;
  /** Requests the API took. */
  batches: number;
}

export const emptySummary = (): SendSummary => ({
  rows: 0,
  sent: 0,
  accepted: 0,
  duplicates: 0,
  rejected: 0,
  batches: 0,
});

export interface SendOptions {
  /** The predictions endpoint, `…/v1/models/{modelId}/predictions`. */
  url: URL;
  token: string;
  /** Records per request, at most {@link MAX_RECORDS_PER_REQUEST}. */
  batchSize: number;
  /** What a row's `line` counts, for messages: `line` (CSV, NDJSON) or `row` (Parquet). */
  unit: "line" | "row";
  /** Called for every row that is not stored because it is invalid, with each of its problems. */
  onRejected(line: number, problems: string[]): void;
  /** Called after each request the API took, and before each wait to retry (saying why). */
  onProgress?(waiting?: string): void;
  retry?: Partial<RetryPolicy>;
  /** The largest request, as the Lambda event counts it (default: the 6 MB limit less the envelope). */
  maxRequestBytes?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

interface Entry {
  line: number;
  id: string;
  json: string;
  /** The record's size inside the Lambda event (see {@link eventBytes}). */
  bytes: number;
  posted: boolean;
}

/**
 * Sends the rows to the predictions endpoint in batches of up to `batchSize` records, each request
 * kept under the payload limit, one request at a time. Each row is first checked against the Record
 * schema: a bad row is reported through `onRejected` and left out, so it cannot make the API refuse
 * the good rows batched with it. A row without an id gets a random UUID before its first attempt, so
 * a retried request (the id is the API's idempotency key) cannot store it twice. A record whose id is
 * already in the batch starts the next batch, where the API counts it as a duplicate.
 *
 * Each request is retried on 429, 502, 503, 504 and network errors, after the `Retry-After` the API
 * gives or else an exponential backoff with full jitter, `retries` times at most. A 400 drops the
 * records it names (reported against their lines) and sends the rest again; a 413 halves the batch.
 *
 * @param summary updated as the run goes
 * @throws ApiRefusedError on 401, 403 or 404
 * @throws ApiFailedError when a request fails after its last retry or gets an answer it cannot use
 * @example
 * const summary = emptySummary();
 * await sendRows((await openRecordRows("logs.csv")).rows, summary, {
 *   url: new URL("http://127.0.0.1:3000/v1/models/churn/predictions"), token, batchSize: 1000, unit: "line",
 *   onRejected: (line, problems) => console.error(`line ${line}: ${problems.join("; ")}`),
 * });
 */
export async function sendRows(
  rows: AsyncIterable<RecordRow>,
  summary: SendSummary,
  options: SendOptions,
): Promise<void> {
  const sender = new BatchSender(summary, options);
  const maxRecordBytes = sender.maxRequestBytes - BATCH_OPENING.length - BATCH_CLOSING.length;
  let batch: Entry[] = [];
  let batchBytes = 0;
  const ids = new Set<string>();
  const flush = async () => {
    await sender.deliver(batch);
    batch = [];
    batchBytes = 0;
    ids.clear();
  };

  for await (const item of rows) {
    summary.rows++;
    if ("problem" in item) {
      sender.reject(item.line, [item.problem]);
      continue;
    }
    const checked = checkRecord(item.row);
    if ("problems" in checked) {
      sender.reject(item.line, checked.problems);
      continue;
    }
    const id = checked.record.id ?? randomUUID();
    const json = JSON.stringify({ ...checked.record, id });
    const bytes = eventBytes(json);
    if (bytes > maxRecordBytes) {
      sender.reject(item.line, [
        `the record takes ${bytes} bytes, more than one request may carry (${maxRecordBytes})`,
      ]);
      continue;
    }
    // With this record the batch holds batch.length commas between its records.
    const full =
      batch.length >= options.batchSize ||
      BATCH_OPENING.length + batchBytes + batch.length + bytes + BATCH_CLOSING.length >
        sender.maxRequestBytes;
    if (batch.length > 0 && (full || ids.has(id))) await flush();
    batch.push({ line: item.line, id, json, bytes, posted: false });
    batchBytes += bytes;
    ids.add(id);
  }
  if (batch.length > 0) await flush();
}

/**
 * The bytes a JSON text takes inside the Lambda event, where the body is itself a JSON string: every
 * quote and backslash is escaped once more there, so a 5 MB body can exceed the 6 MB invocation limit.
 */
function eventBytes(json: string): number {
  let escapes = 0;
  for (let index = 0; index < json.length; index++) {
    const c = json.charCodeAt(index);
    if (c === QUOTE || c === BACKSLASH) escapes++;
  }
  return Buffer.byteLength(json) + escapes;
}

class BatchSender {
  readonly maxRequestBytes: number;
  private readonly policy: RetryPolicy;

  constructor(
    private readonly summary: SendSummary,
    private readonly options: SendOptions,
  ) {
    this.maxRequestBytes = options.maxRequestBytes ?? MAX_BODY_BYTES - EVENT_ENVELOPE_BYTES;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  }

  reject(line: number, problems: string[]): void {
    this.summary.rejected++;
    this.options.onRejected(line, problems);
  }

  /** Sends one batch until the API has taken every record of it that is valid. */
  async deliver(batch: Entry[]): Promise<void> {
    for (const entry of batch) {
      if (!entry.posted) this.summary.sent++;
      entry.posted = true;
    }
    const answer = await this.post(batch);
    const refused = refusal(answer, {
      reason: "the token may not send predictions to this model",
      check: "--token and --model",
    });
    if (refused) throw refused;
    switch (answer.status) {
      case 202:
        return this.taken(batch, answer.body);
      case 400:
        return this.refused(batch, answer.body);
      case 413:
        if (batch.length === 1) {
          return this.reject((batch[0] as Entry).line, [`the API refused the record as too large (413)`]);
        }
        await this.deliver(batch.slice(0, batch.length >> 1));
        return this.deliver(batch.slice(batch.length >> 1));
      default:
        throw new ApiFailedError(`the API answered ${describeAnswer(answer)} for ${this.span(batch)}`);
    }
  }

  private taken(batch: Entry[], body: unknown): void {
    const result = body as Partial<IngestResult> | undefined;
    if (typeof result?.accepted !== "number" || typeof result.duplicates !== "number") {
      throw new ApiFailedError(`the API answered 202 for ${this.span(batch)} without {accepted, duplicates}`);
    }
    this.summary.batches++;
    this.summary.accepted += result.accepted;
    this.summary.duplicates += result.duplicates;
    this.options.onProgress?.();
  }

  /**
   * A 400 stored nothing. When it names records (`records[3].features.age`), those are reported
   * against their lines and the others sent again; a refusal of the request as a whole rejects it all.
   */
  private async refused(batch: Entry[], body: unknown): Promise<void> {
    const errors = (body as { errors?: FieldError[] } | undefined)?.errors ?? [];
    const problems = new Map<number, string[]>();
    for (const error of errors) {
      const match = /^records\[(\d+)\](?:\.?(.*))$/.exec(String(error.path));
      const index = match ? Number(match[1]) : -1;
      if (!match || index >= batch.length) {
        problems.clear();
        break;
      }
      const message = String(error.message).replace(
        /records\[(\d+)\]/g,
        (text, other: string) => `${this.options.unit} ${batch[Number(other)]?.line ?? text}`,
      );
      const list = problems.get(index) ?? [];
      list.push(match[2] ? `${match[2]}: ${message}` : message);
      problems.set(index, list);
    }
    if (problems.size === 0) {
      const reason = `the API refused the whole request (${describeAnswer({ status: 400, body })})`;
      for (const entry of batch) this.reject(entry.line, [reason]);
      return;
    }
    for (const [index, list] of problems) this.reject((batch[index] as Entry).line, list);
    const rest = batch.filter((_, index) => !problems.has(index));
    if (rest.length > 0) await this.deliver(rest);
  }

  /** POSTs the batch, retrying what may pass; returns the first answer that is not worth a retry. */
  private post(batch: Entry[]): Promise<ApiAnswer> {
    return callApi(
      this.options.url,
      {
        method: "POST",
        token: this.options.token,
        body: `${BATCH_OPENING}${batch.map((entry) => entry.json).join(",")}${BATCH_CLOSING}`,
      },
      {
        what: this.span(batch),
        policy: this.policy,
        onRetry: (note) => this.options.onProgress?.(note),
        fetch: this.options.fetch,
        sleep: this.options.sleep,
        random: this.options.random,
      },
    );
  }

  /** `lines 12-1011`, the rows a batch came from, for messages. */
  private span(batch: Entry[]): string {
    const first = batch[0]?.line;
    const last = batch[batch.length - 1]?.line;
    return first === last ? `${this.options.unit} ${first}` : `${this.options.unit}s ${first}-${last}`;
  }
}
