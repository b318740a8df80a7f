import { setTimeout as sleep } from "node:timers/promises";
import { modelIdSchema } from "#shared/schemas/model-id";
import { UsageError } from "./usage-error.ts";

/** The API could not do its part: unreachable, or still failing after the retries. */
export const EXIT_API_FAILED = 1;

/** Answers of the API worth another attempt: throttling, and a gateway or storage fault that may pass. */
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
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
  timeoutMs: 60_000,
};

/** The API refused the call itself (401, 403, 404): the token or the model is wrong, so retrying cannot help. */
export class ApiRefusedError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "ApiRefusedError";
  }
}

/** The API could not take a request: unreachable or failing after every retry, or an unexpected answer. */
export class ApiFailedError extends Error {
  constructor(message: string) {
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
 * backoff with full jitter, `policy.retries` times at most.
 *
 * @param attempt makes one attempt (a fresh request each time: a body stream cannot be sent twice)
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
  for (let attempts = 1; ; attempts++) {
    let failure: string;
    let retryAfterMs: number | undefined;
    try {
      const response = await attempt();
      const answer = { status: response.status, body: parseJson(await response.text()) };
      if (!retryable(answer.status)) return answer;
      failure = (context.describe ?? describeAnswer)(answer);
      retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    } catch (error) {
      failure = networkProblem(error as Error, policy.timeoutMs);
    }
    if (attempts > policy.retries) {
      throw new ApiFailedError(
        `gave up on ${what} after ${attempts === 1 ? "1 attempt" : `${attempts} attempts`}: ${failure}`,
      );
    }
    const delay = Math.min(retryAfterMs ?? backoff(attempts, policy, context.random), policy.maxRetryAfterMs);
    context.onRetry?.(
      `${what}: ${failure}; retry ${attempts} of ${policy.retries} in ${(delay / 1000).toFixed(1)} s`,
    );
    await (context.sleep ?? sleep)(delay);
  }
}

export interface ApiRequest {
  method: "GET" | "POST" | "PUT";
  token: string;
  /** A JSON text. */
  body?: string;
}

/**
 * Calls a DriftWatch API endpoint with the bearer token, retrying as {@link withRetries} does.
 *
 * @example
 * const answer = await callApi(url, { method: "GET", token }, { what: "the baseline", policy: DEFAULT_RETRY_POLICY });
 */
export function callApi(
  url: URL,
  request: ApiRequest,
  context: RetryContext & { fetch?: typeof fetch },
): Promise<ApiAnswer> {
  return withRetries(() => fetchApi(url, request, context.policy.timeoutMs, context.fetch), context);
}

/** One attempt at an API call, bounded by `timeoutMs`. */
export function fetchApi(
  url: URL,
  request: ApiRequest,
  timeoutMs: number,
  send: typeof fetch = fetch,
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${request.token}` };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  return send(url, {
    method: request.method,
    headers,
    body: request.body,
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/** Why a 403 was given, and what to check, for {@link refusal}. */
export interface Forbidden {
  reason: string;
  check: string;
}

/**
 * The error a 401, 403 or 404 stands for, naming the option to check; undefined for any other answer.
 *
 * @example
 * const refused = refusal(answer, { reason: "the token may not send predictions to this model", check: "--token and --model" });
 * if (refused) throw refused;
 */
export function refusal(answer: ApiAnswer, forbidden: Forbidden): ApiRefusedError | undefined {
  const described = describeAnswer(answer);
  switch (answer.status) {
    case 401:
      return new ApiRefusedError(`the API refused the token (${described}); check --token`);
    case 403:
      return new ApiRefusedError(`${forbidden.reason} (${described}); check ${forbidden.check}`);
    case 404:
      return new ApiRefusedError(
        `the API has no such model, or --api is not a DriftWatch API (${described}); check --model and --api`,
      );
    default:
      return undefined;
  }
}

/**
 * `…/v1/models/{modelId}/{path}` under the API's base URL (which may carry a stage path).
 *
 * @throws UsageError for a model id the API would refuse, or an `--api` that is not an http(s) URL
 * @example
 * modelUrl("https://abc.execute-api.eu-west-1.amazonaws.com/prod", "churn", "predictions");
 * // https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/models/churn/predictions
 */
export function modelUrl(api: string, model: string, path: string): URL {
  const modelId = modelIdSchema.safeParse(model);
  if (!modelId.success) {
    throw new UsageError(`--model: ${modelId.error.issues[0]?.message ?? "invalid model id"}`);
  }
  let base: URL;
  try {
    base = new URL(api.endsWith("/") ? api : `${api}/`);
  } catch {
    throw new UsageError(`--api: not a URL: "${api}"`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new UsageError(`--api: not an http or https URL: "${api}"`);
  }
  return new URL(`v1/models/${encodeURIComponent(modelId.data)}/${path}`, base);
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
