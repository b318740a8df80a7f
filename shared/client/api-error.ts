import { type ApiAnswer, ApiFailedError, describeAnswer } from "#shared/http/with-retries";
import { type FieldError, type Problem, problemSchema } from "#shared/schemas/problem";

/**
 * The API answered a call with a status other than 2xx, finally: at once (400, 401, 403, 404, 409, ...)
 * or still after the last retry (429, 502, 503, 504).
 */
export class DriftWatchApiError extends Error {
  readonly status: number;
  /** The `application/problem+json` refusal; undefined when the body is something else (see `body`). */
  readonly problem: Problem | undefined;
  /** The answer's body: parsed JSON, else its text. */
  readonly body: unknown;

  /** @param what the call, for the message: `PUT /v1/models/churn` */
  constructor(
    what: string,
    answer: ApiAnswer,
    message = `${what}: the API answered ${describeAnswer(answer)}`,
  ) {
    super(message);
    this.name = "DriftWatchApiError";
    this.status = answer.status;
    this.body = answer.body;
    const problem = problemSchema.safeParse(answer.body);
    this.problem = problem.success ? problem.data : undefined;
  }

  /** The fields the API names as wrong (`records[3].features.age`); empty when it named none. */
  get errors(): readonly FieldError[] {
    return this.problem?.errors ?? [];
  }
}

/**
 * How a failed call is reported: a retryable answer that outlived the retries (a 503 after the last
 * one) as a {@link DriftWatchApiError} with that answer; no answer at all as the ApiFailedError.
 */
export function apiError(what: string, error: unknown): Error {
  if (error instanceof ApiFailedError && error.answer) {
    return new DriftWatchApiError(what, error.answer, error.message);
  }
  return error instanceof Error ? error : new Error(String(error));
}
