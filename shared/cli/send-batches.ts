import { deliverBatch } from "#shared/client/deliver-batch";
import { DriftWatchClient } from "#shared/client/driftwatch-client";
import {
  BatchBuilder,
  largestRecordBytes,
  MAX_REQUEST_BYTES,
  type SerializedRecord,
  serializeRecord,
} from "#shared/client/prediction-batch";
import { type ApiAnswer, ApiFailedError, describeAnswer, type RetryPolicy } from "#shared/http/with-retries";
import type { IngestResult } from "#shared/ingest/ingest-predictions";
import { checkRecord, type RecordRow } from "#shared/readers/record-rows";
import { MAX_RECORDS_PER_REQUEST } from "#shared/schemas/prediction-record";
import type { FieldError } from "#shared/schemas/problem";
import { refusal } from "./api-client.ts";

export { ApiFailedError } from "#shared/http/with-retries";
export { ApiRefusedError } from "./api-client.ts";

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
  /** The API's base URL. */
  api: string;
  /** The model the rows are predictions of. */
  model: string;
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

interface Entry extends SerializedRecord {
  line: number;
  posted: boolean;
}

const FORBIDDEN = {
  reason: "the token may not send predictions to this model",
  check: "--token and --model",
};

/**
 * Sends the rows to the predictions endpoint through the {@link DriftWatchClient}, in batches of up
 * to `batchSize` records, each request kept under the payload limit, one request at a time. Each row
 * is first checked against the Record schema: a bad row is reported through `onRejected` and left
 * out, so it cannot make the API refuse the good rows batched with it. A row without an id gets a
 * random UUID before its first attempt, so a retried request (the id is the API's idempotency key)
 * cannot store it twice. A record whose id is already in the batch starts the next batch, where the
 * API counts it as a duplicate.
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
 *   api: "http://127.0.0.1:3000", model: "churn", token, batchSize: 1000, unit: "line",
 *   onRejected: (line, problems) => console.error(`line ${line}: ${problems.join("; ")}`),
 * });
 */
export async function sendRows(
  rows: AsyncIterable<RecordRow>,
  summary: SendSummary,
  options: SendOptions,
): Promise<void> {
  const sender = new BatchSender(summary, options);
  const maxRequestBytes = options.maxRequestBytes ?? MAX_REQUEST_BYTES;
  const largest = largestRecordBytes(maxRequestBytes);
  const batch = new BatchBuilder<Entry>(options.batchSize, maxRequestBytes);

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
    const entry = { ...serializeRecord(checked.record), line: item.line, posted: false };
    if (entry.bytes > largest) {
      sender.reject(item.line, [
        `the record takes ${entry.bytes} bytes, more than one request may carry (${largest})`,
      ]);
      continue;
    }
    if (!batch.accepts(entry)) await sender.deliver(batch.take());
    batch.add(entry);
  }
  if (batch.size > 0) await sender.deliver(batch.take());
}

/** The line-numbered books of a run around the client's batch delivery. */
class BatchSender {
  private readonly client: DriftWatchClient;

  constructor(
    private readonly summary: SendSummary,
    private readonly options: SendOptions,
  ) {
    const { api, token, retry, fetch, sleep, random } = options;
    this.client = new DriftWatchClient({ url: api, token, retry, fetch, sleep, random });
  }

  reject(line: number, problems: string[]): void {
    this.summary.rejected++;
    this.options.onRejected(line, problems);
  }

  /** Sends one batch until the API has taken every record of it that is valid. */
  deliver(batch: Entry[]): Promise<void> {
    return deliverBatch((entries) => this.post(entries), batch, {
      accepted: (entries, answer) => this.taken(entries, answer.body),
      refused: (entries, answer, problems) => this.refused(entries, answer, problems),
      failed: (entries, answer) =>
        refusal(answer, FORBIDDEN) ??
        new ApiFailedError(`the API answered ${describeAnswer(answer)} for ${this.span(entries)}`),
    });
  }

  private post(batch: readonly Entry[]): Promise<ApiAnswer> {
    for (const entry of batch) {
      if (!entry.posted) this.summary.sent++;
      entry.posted = true;
    }
    return this.client.postBatch(this.options.model, batch, {
      what: this.span(batch),
      onRetry: (note) => this.options.onProgress?.(note),
    });
  }

  private taken(batch: readonly Entry[], body: unknown): void {
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
   * Nothing of the request was stored. Records the API named are reported against their lines (a
   * `records[i]` in a message names its line too); a refusal of the request as a whole rejects it all.
   */
  private refused(
    batch: readonly Entry[],
    answer: ApiAnswer,
    problems: ReadonlyMap<number, FieldError[]> | undefined,
  ): void {
    if (!problems) {
      const reason =
        answer.status === 413
          ? "the API refused the record as too large (413)"
          : `the API refused the whole request (${describeAnswer(answer)})`;
      for (const entry of batch) this.reject(entry.line, [reason]);
      return;
    }
    const { unit } = this.options;
    for (const [index, list] of problems) {
      const messages = list.map(({ path, message }) => {
        const text = message.replace(
          /records\[(\d+)\]/g,
          (reference, other: string) => `${unit} ${batch[Number(other)]?.line ?? reference}`,
        );
        return path ? `${path}: ${text}` : text;
      });
      this.reject((batch[index] as Entry).line, messages);
    }
  }

  /** `lines 12-1011`, the rows a batch came from, for messages. */
  private span(batch: readonly Entry[]): string {
    const first = batch[0]?.line;
    const last = batch[batch.length - 1]?.line;
    return first === last ? `${this.options.unit} ${first}` : `${this.options.unit}s ${first}-${last}`;
  }
}
