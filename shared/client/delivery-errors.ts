import type { ApiFailedError } from "#shared/http/with-retries";
import type { FieldError } from "#shared/schemas/problem";
import type { DriftWatchApiError } from "./api-error.ts";
import type { PredictionRecordInput } from "./api-types.ts";

/**
 * Records `log()` took that are not stored: invalid or too large to send, refused by the API (400,
 * or 413 for one record), or not taken after the last retry. Nothing of them is stored, so they may
 * be logged again once fixed: each carries the id the client gave it, so sending it twice stores it once.
 */
export class RecordsNotStoredError extends Error {
  /**
   * @param records the records, as logged plus the id and timestamp the client gave them
   * @param errors what is wrong with them, at paths that index `records` as the API's problem+json
   *   does (`records[0].latencyMs`); empty when nothing named a record (a refusal of the request as a
   *   whole, which `cause.problem` tells, or no answer)
   * @param cause the API's answer (`status`, `problem`), or why it gave none
   */
  constructor(
    message: string,
    readonly records: readonly PredictionRecordInput[],
    readonly errors: readonly FieldError[],
    override readonly cause?: DriftWatchApiError | ApiFailedError | Error,
  ) {
    super(message, { cause });
    this.name = "RecordsNotStoredError";
  }

  /** The API's status for them (400, 503, ...); undefined when they never reached it, or it did not answer. */
  get status(): number | undefined {
    const status = (this.cause as { status?: unknown } | undefined)?.status;
    return typeof status === "number" ? status : undefined;
  }
}

/**
 * What `flush()` and `close()` reject with: every {@link RecordsNotStoredError} since the previous
 * flush (also given to `onError` as each happened). It keeps at most `maxBufferedRecords` records
 * across them, dropping the oldest errors first and counting their records in `omittedRecords`.
 */
export class FlushError extends AggregateError {
  declare readonly errors: RecordsNotStoredError[];

  constructor(
    errors: readonly RecordsNotStoredError[],
    readonly omittedRecords: number,
  ) {
    const records = errors.reduce((sum, error) => sum + error.records.length, omittedRecords);
    const first = errors[0]?.message ?? "";
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : "";
    super(
      errors,
      `${records === 1 ? "1 record was" : `${records} records were`} not stored: ${first}${more}`,
    );
    this.name = "FlushError";
  }

  /** Every record not stored that the errors kept. */
  get records(): PredictionRecordInput[] {
    return this.errors.flatMap((error) => error.records);
  }
}
