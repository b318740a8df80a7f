import { ApiFailedError, describeAnswer, type RetryPolicy, withRetries } from "#shared/http/with-retries";
import { logger } from "#shared/observability";
import { ActionRefusedError } from "./action-failures.ts";

/**
 * Five attempts, each cut off after 5 s, and no retry starting after 25 s: a post (to Slack, or a
 * rollback or retraining webhook) is done within 30 s, half the alert handlers' 60 s timeout,
 * leaving room for the markers, claims and audits. A Retry-After longer than the time left fails
 * the post, and the message's redelivery (after the queue's visibility timeout) tries again.
 */
export const WEBHOOK_RETRY_POLICY: RetryPolicy = {
  retries: 4,
  baseDelayMs: 500,
  maxDelayMs: 4000,
  maxRetryAfterMs: 20_000,
  timeoutMs: 5000,
  maxElapsedMs: 25_000,
};

export interface WebhookRequest {
  /** What the post is for, in messages: `the rollback webhook`. */
  what: string;
  /** Sent as `Idempotency-Key`, the same on every attempt and redelivery, so a receiver can act once. */
  idempotencyKey: string;
  policy?: RetryPolicy;
}

/**
 * Posts `payload` as JSON, retrying throttling, gateway faults and network errors, and returns the
 * 2xx status it was accepted with.
 *
 * @throws ActionRefusedError for a 4xx answer (other than 429): the receiver will not take it
 * @throws ApiFailedError for a 5xx answer, or once the retries are spent: worth a redelivery
 */
export async function postWebhook(url: string, payload: unknown, request: WebhookRequest): Promise<number> {
  const policy = request.policy ?? WEBHOOK_RETRY_POLICY;
  const answer = await withRetries(
    () =>
      fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "DriftWatch",
          "idempotency-key": request.idempotencyKey,
        },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(policy.timeoutMs),
      }),
    { what: request.what, policy, onRetry: (note) => logger.warn("Webhook retry", { note }) },
  );
  if (answer.status >= 200 && answer.status < 300) return answer.status;
  const failure = `${request.what} at ${originOf(url)} answered ${describeAnswer(answer)}`;
  if (answer.status >= 400 && answer.status < 500) throw new ActionRefusedError(failure);
  throw new ApiFailedError(failure);
}

/**
 * A webhook's scheme, host and port, for logs and the audit: its path and query often carry a secret
 * (as Slack's do), and the URL itself stays in the model's config.
 */
export function originOf(url: string): string {
  return new URL(url).origin;
}
