import { type ApiAnswer, type RetryContext, withRetries } from "#shared/http/with-retries";

export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "DELETE";
  token: string;
  /** A JSON text. */
  body?: string;
}

/**
 * Calls a DriftWatch API endpoint with the bearer token, retrying as {@link withRetries} does, and
 * returns the first answer not worth a retry, whatever its status.
 *
 * @throws ApiFailedError when the last retry failed too (its `answer` is the last one, if any)
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
