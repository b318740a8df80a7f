/**
 * `driftwatch/client`: the typed client of the DriftWatch HTTP API, bundled as dist/client.js.
 *
 * @example
 * import { DriftWatchClient } from "driftwatch/client";
 */
export { ApiFailedError, DEFAULT_RETRY_POLICY } from "#shared/http/with-retries";
export { DriftWatchApiError } from "./api-error.ts";
export type * from "./api-types.ts";
export { FlushError, RecordsNotStoredError } from "./delivery-errors.ts";
export { DriftWatchClient, type DriftWatchClientOptions } from "./driftwatch-client.ts";
