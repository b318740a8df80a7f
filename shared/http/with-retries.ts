import { setTimeout as sleep } from "node:timers/promises";

/** Answers worth another attempt: throttling, and a gateway or storage fault that may pass. */
export const RETRYABLE_API_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface RetryPolicy {
  /** Attempts after the first, per request. */
  retries: number;
  /** The first backoff ceiling; each retry doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; a longer one is cut to this. */
  maxRetryAfterMs: number;
  /** A request without an answer after this long counts as a network error. */
  timeoutMs: number;
  /**
   * No retry starts later than this after the first attempt, so a caller with a deadline (a Lambda's
   * timeout) is done within `maxElapsedMs + timeoutMs`; unbounded when unset.
   */
  maxElapsedMs?: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 60_000,
};

/** A request could not be made: unreachable or failing after every retry, or an unexpected answer. */
export class ApiFailedError extends Error {
  /**
   * @param answer the last answer, when the last attempt got one (a 503 after every retry); undefined
   *   after a network error or timeout
   */
  constructor(
    message: string,
    readonly answer?: ApiAnswer,
  ) {
    super(message);
    this.name = "ApiFailedError";
  }
}

/** An answer with its body parsed: JSON when it is JSON, else the text (undefined when empty). */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

export interface RetryContext {
  /** What the request is for, in messages: `lines 2-1001`, `the upload`. */
  what: string;
  policy: RetryPolicy;
  /** Which statuses are worth another attempt (default {@link RETRYABLE_API_STATUSES}). */
  retryable?(status: number): boolean;
  /** How an answer reads in messages (default {@link describeAnswer}). */
  describe?(answer: ApiAnswer): string;
  /** Called before each wait to retry, saying why and for how long. */
  onRetry?(note: string): void;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

/**
 * Makes a request until it gets an answer not worth a retry, and returns that answer. Network errors
 * and retryable statuses are retried after the `Retry-After` the server gives or else an exponential
 * backoff with full jitter, `policy.retries` times at most, and none that would start after
 * `policy.maxElapsedMs`.
 *
 * @param attempt makes one attempt (a fresh request each time: a body stream cannot be sent twice),
 *   bounded by `policy.timeoutMs`
 * @throws ApiFailedError after the last retry, with the last reason
 * @example
 * const answer = await withRetries(() => fetch(url), { what: "the upload", policy: DEFAULT_RETRY_POLICY });
 */
export async function withRetries(
  attempt: () => Promise<Response>,
  context: RetryContext,
): Promise<ApiAnswer> {
  const { policy, what } = context;
  const retryable = context.retryable ?? ((status: number) => RETRYABLE_API_STATUSES.has(status));
  const startedAt = Date.now();
  for (let attempts = 1; ; attempts++) {
    let failure: string;
    let answer: ApiAnswer | undefined;
    let retryAfterMs: number | undefined;
    try {
      const response = await attempt();
      answer = { status: response.status, body: parseJson(await response.text()) };
      if (!retryable(answer.status)) return answer;
      failure = (context.describe ?? describeAnswer)(answer);
      retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    } catch (error) {
      failure = networkProblem(error as Error, policy.timeoutMs);
    }
    const gaveUp = `gave up on ${what} after ${attempts === 1 ? "1 attempt" : `${attempts} attempts`}`;
    if (attempts > policy.retries) throw new ApiFailedError(`${gaveUp}: ${failure}`, answer);
    const delay = Math.min(retryAfterMs ?? backoff(attempts, policy, context.random), policy.maxRetryAfterMs);
    if (policy.maxElapsedMs !== undefined && Date.now() - startedAt + delay > policy.maxElapsedMs) {
      throw new ApiFailedError(
        `${gaveUp} (a retry in ${seconds(delay)} would pass the ${seconds(policy.maxElapsedMs)} allowed): ${failure}`,
        answer,
      );
    }
    context.onRetry?.(`${what}: ${failure}; retry ${attempts} of ${policy.retries} in ${seconds(delay)}`);
    await (context.sleep ?? sleep)(delay);
  }
}

/** `503 Service unavailable: Storage is unavailable…`, from a problem+json body or whatever came back. */
export function describeAnswer(answer: ApiAnswer): string {
  const body = answer.body as { title?: unknown; detail?: unknown; message?: unknown } | string | undefined;
  if (typeof body === "string") return `${answer.status}: ${body.slice(0, 200).trim()}`;
  const title = typeof body?.title === "string" ? ` ${body.title}` : "";
  const detail = typeof body?.detail === "string" ? body.detail : body?.message;
  return typeof detail === "string" ? `${answer.status}${title}: ${detail}` : `${answer.status}${title}`;
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** "Full jitter" (AWS Architecture Blog, 2015): uniform in [0, min(max, base * 2^(attempt - 1))). */
function backoff(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
}

/** Retry-After in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or invalid. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function networkProblem(error: Error, timeoutMs: number): string {
  if (error.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = (error as Error & { cause?: { code?: unknown; message?: unknown } }).cause;
  const detail = typeof cause?.code === "string" ? cause.code : (cause?.message ?? error.message);
  return `network error (${String(detail)})`;
}
