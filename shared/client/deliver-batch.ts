import type { ApiAnswer } from "#shared/http/with-retries";
import type { FieldError } from "#shared/schemas/problem";
import { recordProblems, type SerializedRecord } from "./prediction-batch.ts";

/** What became of the records of each request a batch took; the caller keeps its own books. */
export interface BatchOutcome<Entry extends SerializedRecord> {
  /** The API took `batch` (202): stored now, or before (the same ids). */
  accepted(batch: readonly Entry[], answer: ApiAnswer): void;
  /**
   * The API refused records and stored none of the request: a 400, or a 413 for a lone record.
   * `problems` holds each record the 400 named, by its index in `batch`, with its field errors; it is
   * undefined when the refusal named none, so every record of `batch` is refused.
   */
  refused(
    batch: readonly Entry[],
    answer: ApiAnswer,
    problems: ReadonlyMap<number, FieldError[]> | undefined,
  ): void;
  /** Any other answer (401, 403, 404, 500, ...): the error to stop with. */
  failed(batch: readonly Entry[], answer: ApiAnswer): Error;
}

/**
 * Sends one batch until the API has taken every record of it that it will take: a 400 that names
 * records drops those and sends the others again, a 413 halves the batch. One request at a time.
 *
 * @param post sends one request, retried as the caller chooses, and returns the answer not worth a retry
 * @throws the error `outcome.failed` gives for an unexpected answer, or what `post` throws
 * @example
 * await deliverBatch((batch) => client.postBatch("churn", batch), entries, outcome);
 */
export async function deliverBatch<Entry extends SerializedRecord>(
  post: (batch: readonly Entry[]) => Promise<ApiAnswer>,
  batch: readonly Entry[],
  outcome: BatchOutcome<Entry>,
): Promise<void> {
  const answer = await post(batch);
  if (answer.status >= 200 && answer.status < 300) return outcome.accepted(batch, answer);
  if (answer.status === 400) {
    const problems = recordProblems(answer.body, batch.length);
    outcome.refused(batch, answer, problems);
    const rest = problems ? batch.filter((_, index) => !problems.has(index)) : [];
    if (rest.length > 0) await deliverBatch(post, rest, outcome);
    return;
  }
  if (answer.status === 413) {
    if (batch.length === 1) return outcome.refused(batch, answer, undefined);
    await deliverBatch(post, batch.slice(0, batch.length >> 1), outcome);
    return deliverBatch(post, batch.slice(batch.length >> 1), outcome);
  }
  throw outcome.failed(batch, answer);
}
