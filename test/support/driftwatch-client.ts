import type { RecordsNotStoredError } from "#shared/client/delivery-errors";
import { DriftWatchClient, type DriftWatchClientOptions } from "#shared/client/driftwatch-client";

/**
 * A client logging model churn's predictions through `fetch` (its URL answers nothing else), with
 * the records it reports lost collected in `errors`.
 */
export function loggingClient(
  fetch: typeof globalThis.fetch,
  options: Partial<DriftWatchClientOptions> = {},
) {
  const errors: RecordsNotStoredError[] = [];
  const client = new DriftWatchClient({
    url: "http://127.0.0.1:9",
    token: "secret",
    model: "churn",
    fetch,
    onError: (error) => errors.push(error),
    ...options,
  });
  return { client, errors };
}
