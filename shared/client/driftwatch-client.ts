import { randomUUID } from "node:crypto";
import { type ApiAnswer, DEFAULT_RETRY_POLICY, type RetryPolicy } from "#shared/http/with-retries";
import type { BaselineMultipartUpload, BaselineUploadUrl } from "#shared/schemas/baseline";
import { modelIdSchema } from "#shared/schemas/model-id";
import { MAX_RECORDS_PER_REQUEST } from "#shared/schemas/prediction-record";
import { callApi } from "./api-call.ts";
import { apiError, DriftWatchApiError } from "./api-error.ts";
import type {
  AlertListAnswer,
  AlertQuery,
  AlertView,
  BaselineAnswer,
  BaselineRequestInput,
  BaselineUploadAnswer,
  BaselineUploadRequestInput,
  BaselineUploadStatus,
  CheckAnswer,
  CheckRequestInput,
  CreatedToken,
  DriftAnswer,
  GroundTruthAnswer,
  GroundTruthLabelInput,
  HealthAnswer,
  HistoryQueryInput,
  IngestAnswer,
  LatencyAnswer,
  ModelConfig,
  ModelConfigInput,
  ModelListAnswer,
  PerformanceAnswer,
  PredictionRecordInput,
  PutBaselineAnswer,
} from "./api-types.ts";
import type { RecordsNotStoredError } from "./delivery-errors.ts";
import { batchBody, MAX_REQUEST_BYTES, type SerializedRecord } from "./prediction-batch.ts";
import { PredictionLogger } from "./prediction-logger.ts";
import {
  type ClientRoute,
  clientRoutes,
  type QueryParameters,
  type RouteParameters,
  routeUrl,
} from "./routes.ts";

export interface DriftWatchClientOptions {
  /** The API's base URL: `http://127.0.0.1:3000`, or API Gateway's with its stage, `https://…/prod`. */
  url: string | URL;
  /** The admin token, or a model's token (which may only read and write its own model). */
  token: string;
  /** The model {@link DriftWatchClient.log} sends predictions to. */
  model?: string;
  /** Records per request, 1 to 1000 (default 1000). */
  batchSize?: number;
  /** The longest a logged record waits for its batch to fill before the batch is sent anyway (default 1000). */
  flushIntervalMs?: number;
  /**
   * The most records held at once, waiting or in flight (default 10,000). When that many are, `log()`
   * waits for room instead of holding more (backpressure): while the API throttles or is down, a
   * caller that awaits `log()` slows to the pace the API takes records at, and memory stays bounded.
   */
  maxBufferedRecords?: number;
  /** Retries of 429, 502, 503, 504 and network errors, with backoff and full jitter, honouring Retry-After. */
  retry?: Partial<RetryPolicy>;
  /**
   * Called with each set of logged records that is not stored (invalid, refused, or failing after the
   * retries), as it happens; the next `flush()` or `close()` rejects with them too. Without it, each
   * is also emitted as a process warning.
   */
  onError?: (error: RecordsNotStoredError) => void;
  fetch?: typeof fetch;
  /** The pause before a retry (tests pass a fake). */
  sleep?: (ms: number) => Promise<unknown>;
  /** The jitter's source (tests pass a fixed one). */
  random?: () => number;
}

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What one call may add: a note before each retry, and the name the messages give the call. */
export interface CallContext {
  what?: string;
  onRetry?(note: string): void;
}

/**
 * A typed client of the DriftWatch HTTP API, for any Node service: a method per route, and `log()`,
 * which batches predictions in the background.
 *
 * Every call is retried on 429, 502, 503, 504 and network errors (see {@link RetryPolicy}); an answer
 * other than 2xx, at once or after the last retry, throws a {@link DriftWatchApiError} with its status
 * and problem+json body. No answer at all throws the ApiFailedError that says why.
 *
 * @example
 * const client = new DriftWatchClient({ url: process.env.DRIFTWATCH_API, token, model: "churn" });
 * await client.log({ features: { age: 42, plan: "pro" }, prediction: 1, latencyMs: 12 });
 * await client.close(); // before the process exits: sends what is still buffered
 */
export class DriftWatchClient {
  private readonly base: URL;
  private readonly token: string;
  private readonly policy: RetryPolicy;
  private readonly options: DriftWatchClientOptions;
  private readonly logger: PredictionLogger | undefined;

  constructor(options: DriftWatchClientOptions) {
    this.options = options;
    this.base = baseUrl(options.url);
    this.token = options.token;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    const batchSize = options.batchSize ?? MAX_RECORDS_PER_REQUEST;
    const flushIntervalMs = options.flushIntervalMs ?? 1000;
    const maxBufferedRecords = options.maxBufferedRecords ?? 10_000;
    requireWhole("batchSize", batchSize, 1, MAX_RECORDS_PER_REQUEST);
    requireWhole("flushIntervalMs", flushIntervalMs, 0, MAX_TIMER_MS);
    requireWhole("maxBufferedRecords", maxBufferedRecords, 1, Number.MAX_SAFE_INTEGER);
    if (options.model !== undefined) {
      const modelId = modelIdOf(options.model);
      const what = `POST ${routeUrl(this.base, "logPredictions", { modelId }).pathname}`;
      this.logger = new PredictionLogger({
        batchSize,
        flushIntervalMs,
        maxBufferedRecords,
        maxRequestBytes: MAX_REQUEST_BYTES,
        what,
        post: (batch) => this.postBatch(modelId, batch, { what }),
        onError: options.onError ?? ((error) => process.emitWarning(error)),
      });
    }
  }

  /**
   * Buffers a prediction of the client's `model`, to be sent with others in a batch (see the options).
   * A record without an id gets a UUID, and one without a timestamp the time of this call. The promise
   * resolves once the record is buffered, which waits while `maxBufferedRecords` are (backpressure).
   * A record that is invalid, refused or not stored after the retries goes to `onError` and the next
   * `flush()`; `log()` itself rejects only after `close()`.
   */
  log(record: PredictionRecordInput): Promise<void> {
    if (!this.logger)
      return Promise.reject(new TypeError("DriftWatchClient: log() needs the `model` option"));
    return this.logger.log(record);
  }

  /**
   * Sends everything logged so far and waits for it.
   *
   * @throws FlushError with every RecordsNotStoredError since the previous flush
   */
  async flush(): Promise<void> {
    await this.logger?.flush();
  }

  /** Flushes, and takes no more records. Timers never keep the process alive, so it may exit after. */
  async close(): Promise<void> {
    await this.logger?.close();
  }

  health(): Promise<HealthAnswer> {
    return this.call("health", {});
  }

  /** Every model with its config (the admin), or the caller's own (a model token). */
  listModels(): Promise<ModelListAnswer> {
    return this.call("listModels", {});
  }

  /** Creates or replaces a model's config (admin); answers it with the defaults filled in. */
  putModel(modelId: string, config: ModelConfigInput): Promise<ModelConfig> {
    return this.call("putModel", { modelId }, { body: config });
  }

  getModel(modelId: string): Promise<ModelConfig> {
    return this.call("getModel", { modelId });
  }

  /** A token for one model (admin), shown once. */
  createToken(modelId: string): Promise<CreatedToken> {
    return this.call("createToken", { modelId });
  }

  async revokeToken(modelId: string, tokenId: string): Promise<void> {
    await this.call("revokeToken", { modelId, tokenId });
  }

  /**
   * Sends predictions in one request (1 to 1000), stored whole or not at all; records without an id
   * get a UUID first, so a retried request cannot store them twice. `log()` batches for you.
   */
  logPredictions(
    modelId: string,
    records: PredictionRecordInput | readonly PredictionRecordInput[],
  ): Promise<IngestAnswer> {
    const list = Array.isArray(records) ? records : [records as PredictionRecordInput];
    const withIds = list.map((record) =>
      record.id === undefined ? { ...record, id: randomUUID() } : record,
    );
    return this.call("logPredictions", { modelId }, { body: { records: withIds } });
  }

  /** Ground truth, joined to the predictions by id (1 to 1000 labels). */
  sendGroundTruth(modelId: string, labels: readonly GroundTruthLabelInput[]): Promise<GroundTruthAnswer> {
    return this.call("sendGroundTruth", { modelId }, { body: { labels } });
  }

  /** Sets a new baseline version (admin) from records, a window of logged traffic, or an upload. */
  putBaseline(modelId: string, request: BaselineRequestInput): Promise<PutBaselineAnswer> {
    return this.call("putBaseline", { modelId }, { body: request });
  }

  /** The current baseline version and every earlier one. */
  getBaseline(modelId: string): Promise<BaselineAnswer> {
    return this.call("getBaseline", { modelId });
  }

  /** A pre-signed URL to PUT a gzip NDJSON baseline file to (admin); with `{bytes}`, a multipart upload. */
  createBaselineUpload(modelId: string): Promise<BaselineUploadUrl>;
  createBaselineUpload(
    modelId: string,
    request: BaselineUploadRequestInput,
  ): Promise<BaselineMultipartUpload>;
  createBaselineUpload(modelId: string, request?: BaselineUploadRequestInput): Promise<BaselineUploadAnswer> {
    return this.call("createBaselineUpload", { modelId }, { body: request });
  }

  /** Where the registration of a large upload stands (admin). */
  getBaselineUpload(modelId: string, uploadId: string): Promise<BaselineUploadStatus> {
    return this.call("getBaselineUpload", { modelId, uploadId });
  }

  /** Runs the drift and performance checks now (admin), over `window` or the model's window up to now. */
  runCheck(modelId: string, request?: CheckRequestInput): Promise<CheckAnswer> {
    return this.call("runCheck", { modelId }, { body: request });
  }

  getDrift(modelId: string, query: HistoryQueryInput = {}): Promise<DriftAnswer> {
    return this.call("getDrift", { modelId }, { query });
  }

  getLatency(modelId: string, query: HistoryQueryInput = {}): Promise<LatencyAnswer> {
    return this.call("getLatency", { modelId }, { query });
  }

  getPerformance(modelId: string, query: HistoryQueryInput = {}): Promise<PerformanceAnswer> {
    return this.call("getPerformance", { modelId }, { query });
  }

  /** Alerts, newest first, a page at a time; a model token sees its own model's only. */
  listAlerts(query: AlertQuery = {}): Promise<AlertListAnswer> {
    return this.call("listAlerts", {}, { query });
  }

  /** Silences a firing alert's reminders until it resolves; acknowledging it again answers the same. */
  acknowledgeAlert(alertId: string): Promise<AlertView> {
    return this.call("acknowledgeAlert", { alertId });
  }

  /**
   * One predictions request of records serialized for batching, retried, answering whatever the API
   * answered: for senders that handle 400 and 413 themselves (`driftwatch send`, `log()`).
   *
   * @internal
   * @throws ApiFailedError when the last retry failed too
   */
  postBatch(
    modelId: string,
    batch: readonly SerializedRecord[],
    context: CallContext = {},
  ): Promise<ApiAnswer> {
    const url = routeUrl(this.base, "logPredictions", { modelId });
    return callApi(
      url,
      { method: "POST", token: this.token, body: batchBody(batch) },
      this.retryContext(context.what ?? `POST ${url.pathname}`, context.onRetry),
    );
  }

  private async call<Answer, Route extends ClientRoute = ClientRoute>(
    route: Route,
    parameters: RouteParameters<Route>,
    request: { body?: unknown; query?: QueryParameters } = {},
  ): Promise<Answer> {
    const url = routeUrl(this.base, route, parameters, request.query);
    const { method } = clientRoutes[route];
    const what = `${method} ${url.pathname}`;
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    let answer: ApiAnswer;
    try {
      answer = await callApi(url, { method, token: this.token, body }, this.retryContext(what));
    } catch (error) {
      throw apiError(what, error);
    }
    if (answer.status < 200 || answer.status >= 300) throw new DriftWatchApiError(what, answer);
    return answer.body as Answer;
  }

  private retryContext(what: string, onRetry?: (note: string) => void) {
    const { fetch, sleep, random } = this.options;
    return { what, policy: this.policy, onRetry, fetch, sleep, random };
  }
}

/** The base URL with a trailing slash, so that routes resolve under its path (an API Gateway stage). */
function baseUrl(url: string | URL): URL {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new TypeError(`DriftWatchClient: url: not a URL: "${url}"`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new TypeError(`DriftWatchClient: url: not an http or https URL: "${url}"`);
  }
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  return base;
}

function modelIdOf(model: string): string {
  const modelId = modelIdSchema.safeParse(model);
  if (!modelId.success) {
    throw new TypeError(`DriftWatchClient: model: ${modelId.error.issues[0]?.message ?? "invalid model id"}`);
  }
  return modelId.data;
}

function requireWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`DriftWatchClient: ${name} must be a whole number from ${min} to ${max}`);
  }
}
