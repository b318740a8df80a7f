import { fieldErrors } from "#shared/http/validation";
import { type ApiAnswer, describeAnswer } from "#shared/http/with-retries";
import { predictionRecordSchema } from "#shared/schemas/prediction-record";
import type { FieldError } from "#shared/schemas/problem";
import { apiError, DriftWatchApiError } from "./api-error.ts";
import type { PredictionRecordInput } from "./api-types.ts";
import { deliverBatch } from "./deliver-batch.ts";
import { FlushError, RecordsNotStoredError } from "./delivery-errors.ts";
import { largestRecordBytes, type SerializedRecord, serializeRecord } from "./prediction-batch.ts";
import { RecordBuffer } from "./record-buffer.ts";

export interface PredictionLoggerOptions {
  batchSize: number;
  maxRequestBytes: number;
  flushIntervalMs: number;
  maxBufferedRecords: number;
  /** `POST /v1/models/{modelId}/predictions` for the call's messages. */
  what: string;
  /** Sends one request, retried, and returns the answer not worth a retry. */
  post(batch: readonly SerializedRecord[]): Promise<ApiAnswer>;
  onError(error: RecordsNotStoredError): void;
}

/**
 * `log()`, `flush()` and `close()` of the client: checks each record against the Record schema, gives
 * it an id and a timestamp, and hands it to a {@link RecordBuffer} that batches it; whatever is not
 * stored becomes a {@link RecordsNotStoredError}, given to `onError` at once and to the next flush.
 */
export class PredictionLogger {
  private readonly buffer: RecordBuffer;
  private failures: RecordsNotStoredError[] = [];
  private failedRecords = 0;
  private omittedRecords = 0;
  private closed = false;

  constructor(private readonly options: PredictionLoggerOptions) {
    this.buffer = new RecordBuffer({ ...options, send: (batch) => this.send(batch) });
  }

  async log(record: PredictionRecordInput): Promise<void> {
    if (this.closed) throw new Error("DriftWatchClient: log() after close()");
    const checked = predictionRecordSchema.safeParse(record);
    if (!checked.success) {
      const errors = fieldErrors(checked.error, ["records", 0]);
      return this.fail(new RecordsNotStoredError(`invalid record: ${describe(errors)}`, [record], errors));
    }
    // The time of the prediction, not of the batch's arrival, which retries may delay by minutes.
    const serialized = serializeRecord({
      ...checked.data,
      timestamp: checked.data.timestamp ?? new Date().toISOString(),
    });
    const largest = largestRecordBytes(this.options.maxRequestBytes);
    if (serialized.bytes > largest) {
      const message = `the record takes ${serialized.bytes} bytes, more than one request may carry (${largest})`;
      return this.fail(
        new RecordsNotStoredError(message, [parse(serialized)], [{ path: "records[0]", message }]),
      );
    }
    return this.buffer.add(serialized);
  }

  async flush(): Promise<void> {
    await this.buffer.flush();
    if (this.failures.length === 0) return;
    const error = new FlushError(this.failures, this.omittedRecords);
    this.failures = [];
    this.failedRecords = 0;
    this.omittedRecords = 0;
    throw error;
  }

  /** Takes no more records, and flushes. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  /** Delivers one batch; never rejects: every record of it is either stored or failed. */
  private async send(batch: SerializedRecord[]): Promise<void> {
    const settled = new Set<SerializedRecord>();
    const settle = (records: readonly SerializedRecord[]) => {
      for (const record of records) settled.add(record);
    };
    try {
      await deliverBatch(this.options.post, batch, {
        accepted: settle,
        refused: (sent, answer, problems) => {
          const refused = problems ? sent.filter((_, index) => problems.has(index)) : sent;
          settle(refused);
          const cause = new DriftWatchApiError(this.options.what, answer);
          const errors = problems ? reindexed(sent, refused, problems) : [...cause.errors];
          const count = refused.length === 1 ? "1 record" : `${refused.length} records`;
          const message = `the API refused ${count}: ${describeAnswer(answer)}`;
          this.fail(new RecordsNotStoredError(message, refused.map(parse), errors, cause));
        },
        failed: (_, answer) => new DriftWatchApiError(this.options.what, answer),
      });
    } catch (error) {
      const cause = apiError(this.options.what, error);
      const lost = batch.filter((record) => !settled.has(record));
      const count = lost.length === 1 ? "1 record" : `${lost.length} records`;
      this.fail(
        new RecordsNotStoredError(`${count} not stored: ${cause.message}`, lost.map(parse), [], cause),
      );
    }
  }

  private fail(error: RecordsNotStoredError): void {
    this.failures.push(error);
    this.failedRecords += error.records.length;
    // The failures wait for the next flush; bounded like the buffer, so a client never flushed cannot grow.
    while (this.failedRecords > this.options.maxBufferedRecords && this.failures.length > 1) {
      const dropped = (this.failures.shift() as RecordsNotStoredError).records.length;
      this.failedRecords -= dropped;
      this.omittedRecords += dropped;
    }
    this.options.onError(error);
  }
}

/**
 * The problems of the refused records, at `records[i]` paths that index `refused`; a message's own
 * `records[i]` (`duplicates the id of records[0]`), which indexes the request, names that record's id.
 */
function reindexed(
  sent: readonly SerializedRecord[],
  refused: readonly SerializedRecord[],
  problems: ReadonlyMap<number, FieldError[]>,
): FieldError[] {
  return [...problems].flatMap(([index, list]) => {
    const at = `records[${refused.indexOf(sent[index] as SerializedRecord)}]`;
    return list.map(({ path, message }) => ({
      path: path === "" ? at : path.startsWith("[") ? `${at}${path}` : `${at}.${path}`,
      message: message.replace(/records\[(\d+)\]/g, (reference, other: string) => {
        const record = sent[Number(other)];
        return record ? `the record with id ${JSON.stringify(record.id)}` : reference;
      }),
    }));
  });
}

const describe = (errors: readonly FieldError[]) =>
  errors.map(({ path, message }) => `${path}: ${message}`).join("; ");

const parse = (record: SerializedRecord) => JSON.parse(record.json) as PredictionRecordInput;
