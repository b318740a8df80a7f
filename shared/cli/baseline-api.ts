import { z } from "zod";
import { callApi, fetchApi } from "#shared/client/api-call";
import type { FieldError } from "#shared/http/problem";
import {
  ApiFailedError,
  describeAnswer,
  type RetryContext,
  type RetryPolicy,
  withRetries,
} from "#shared/http/with-retries";
import {
  type BaselineMultipartUpload,
  type BaselineRegistrationAccepted,
  type BaselineUploadStatus,
  type BaselineUploadUrl,
  baselineMultipartUploadSchema,
  baselineRegistrationAcceptedSchema,
  baselineUploadStatusSchema,
  baselineUploadUrlSchema,
  baselineVersionSchema,
  type UploadReference,
} from "#shared/schemas/baseline";
import { modelUrl, refusal } from "./api-client.ts";

/** What `PUT /v1/models/{modelId}/baseline` answers: the version it stored, and its rows. */
const registeredSchema = baselineVersionSchema.pick({ version: true, rows: true });

const baselineListSchema = z.object({ versions: z.array(baselineVersionSchema) });

export type RegisteredBaseline = z.infer<typeof registeredSchema>;

/** The first pause between two looks at a registration the API is running, growing to POLL_MAX_MS. */
const POLL_FIRST_MS = 1000;
const POLL_MAX_MS = 10_000;
const POLL_GROWTH = 1.5;

/** The pause before the next look at a registration: 1 s, then 1.5 times the last, at most 10 s. */
export function nextPollDelay(previousMs: number | undefined): number {
  return previousMs === undefined ? POLL_FIRST_MS : Math.min(POLL_MAX_MS, previousMs * POLL_GROWTH);
}

/** The API is still registering the upload when the wait ran out: it may yet finish, to be checked later. */
export class RegistrationPendingError extends ApiFailedError {
  constructor(message: string) {
    super(message);
    this.name = "RegistrationPendingError";
  }
}

export interface WaitOptions {
  /** How long to wait for the registration in all. */
  waitMs: number;
  /** Told before each pause, with the time waited so far. */
  onWaiting?(waitedMs: number): void;
  sleep?(ms: number): Promise<void>;
  now?(): number;
}

const FORBIDDEN = {
  reason: "the token may not set the model's baseline, which takes the admin token",
  check: "--token",
};

/** The API found bad records in the upload (400) and stored nothing; `errors` name them by line of the upload. */
export class UploadRefusedError extends Error {
  constructor(
    message: string,
    readonly errors: readonly FieldError[],
  ) {
    super(message);
    this.name = "UploadRefusedError";
  }
}

export interface BaselineApiOptions {
  api: string;
  model: string;
  token: string;
  policy: RetryPolicy;
  onRetry?(note: string): void;
  fetch?: typeof fetch;
}

/** The baseline endpoints of one model: ask for an upload (one URL or one per part), then register what was uploaded. */
export class BaselineApi {
  private readonly uploadsUrl: URL;
  private readonly baselineUrl: URL;

  /** @throws UsageError for an invalid `--model` or `--api` */
  constructor(private readonly options: BaselineApiOptions) {
    this.uploadsUrl = modelUrl(options.api, options.model, "baseline/uploads");
    this.baselineUrl = modelUrl(options.api, options.model, "baseline");
  }

  /**
   * A pre-signed URL to PUT the whole gzip NDJSON file to.
   *
   * @throws ApiRefusedError on 401, 403, 404; ApiFailedError on anything else but a 201 with the URL
   */
  createUpload(): Promise<BaselineUploadUrl> {
    return this.startUpload(undefined, baselineUploadUrlSchema, "an upload URL");
  }

  /**
   * A multipart upload for a gzip NDJSON file of `bytes`: a pre-signed URL per part.
   *
   * @throws ApiRefusedError on 401, 403, 404; ApiFailedError on anything else but a 201 with the parts
   */
  createMultipartUpload(bytes: number): Promise<BaselineMultipartUpload> {
    return this.startUpload(JSON.stringify({ bytes }), baselineMultipartUploadSchema, "a multipart upload");
  }

  /**
   * Makes the uploaded file the model's next baseline version. The API deletes an upload once it has
   * stored it, so a retry after an answer that was lost would find none: before each retry the
   * versions are looked through for one made from this upload.
   *
   * A large upload is registered after the answer (202): the API says it is registering, and
   * {@link waitForRegistration} waits for the version.
   *
   * @throws UploadRefusedError on 400; ApiRefusedError on 401 and 403; ApiFailedError on anything
   *   else but a 200 with the version or a 202
   */
  async register(upload: UploadReference): Promise<RegisteredBaseline | BaselineRegistrationAccepted> {
    const { token, policy } = this.options;
    const body = JSON.stringify({ upload });
    let attempts = 0;
    const answer = await withRetries(async () => {
      attempts++;
      const stored = attempts > 1 ? await this.versionFrom(upload.id) : undefined;
      return stored
        ? Response.json(stored)
        : fetchApi(this.baselineUrl, { method: "PUT", token, body }, policy.timeoutMs, this.options.fetch);
    }, this.context("registering the upload"));
    if (answer.status === 400) {
      const errors = (answer.body as { errors?: FieldError[] } | undefined)?.errors ?? [];
      throw new UploadRefusedError(`the API refused the upload (${describeAnswer(answer)})`, errors);
    }
    if (answer.status === 404) {
      // The model was there a moment ago, when the upload URL was given.
      throw new ApiFailedError(`the API lost the upload before registering it (${describeAnswer(answer)})`);
    }
    const refused = refusal(answer, FORBIDDEN);
    if (refused) throw refused;
    const accepted = baselineRegistrationAcceptedSchema.safeParse(answer.body);
    if (answer.status === 202 && accepted.success) return accepted.data;
    const registered = registeredSchema.safeParse(answer.body);
    if (answer.status !== 200 || !registered.success) {
      throw new ApiFailedError(`the API answered ${describeAnswer(answer)} when registering the upload`);
    }
    return registered.data;
  }

  /**
   * Where the registration of an upload stands (`GET .../baseline/uploads/{uploadId}`).
   *
   * @throws ApiRefusedError on 401, 403, 404; ApiFailedError on anything else but a 200 with the status
   */
  async uploadStatus(uploadId: string): Promise<BaselineUploadStatus> {
    const answer = await callApi(
      this.uploadStatusUrl(uploadId),
      { method: "GET", token: this.options.token },
      this.context("asking how the registration goes"),
    );
    const refused = refusal(answer, FORBIDDEN);
    if (refused) throw refused;
    const status = baselineUploadStatusSchema.safeParse(answer.body);
    if (answer.status !== 200 || !status.success) {
      throw new ApiFailedError(
        `the API answered ${describeAnswer(answer)} when asked how the registration goes`,
      );
    }
    return status.data;
  }

  /**
   * Polls a registration the API answered 202 to, with growing pauses (1 s up to 10 s), until it is
   * registered or failed, or `waitMs` has passed.
   *
   * @throws UploadRefusedError when it failed; RegistrationPendingError when the wait ran out
   */
  async waitForRegistration(uploadId: string, options: WaitOptions): Promise<RegisteredBaseline> {
    const now = options.now ?? Date.now;
    const pause = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const started = now();
    let delay: number | undefined;
    for (;;) {
      const status = await this.uploadStatus(uploadId);
      if (status.status === "registered" && status.version !== undefined && status.rows !== undefined) {
        return { version: status.version, rows: status.rows };
      }
      if (status.status === "failed") {
        throw new UploadRefusedError(
          `the API refused the upload (${status.error?.detail ?? "registration failed"})`,
          status.error?.errors ?? [],
        );
      }
      const waited = now() - started;
      delay = nextPollDelay(delay);
      if (waited + delay > options.waitMs) {
        throw new RegistrationPendingError(
          `the API is still registering upload ${uploadId} after ${Math.round(waited / 60_000)} min; ` +
            `it may yet finish: check later with GET ${this.uploadStatusUrl(uploadId).href} (the admin token), ` +
            "or wait longer with --wait-minutes",
        );
      }
      options.onWaiting?.(waited);
      await pause(delay);
    }
  }

  private uploadStatusUrl(uploadId: string): URL {
    return modelUrl(this.options.api, this.options.model, `baseline/uploads/${encodeURIComponent(uploadId)}`);
  }

  /** The version an earlier attempt stored from this upload, if one did. */
  private async versionFrom(uploadId: string): Promise<RegisteredBaseline | undefined> {
    const response = await fetchApi(
      this.baselineUrl,
      { method: "GET", token: this.options.token },
      this.options.policy.timeoutMs,
      this.options.fetch,
    );
    const body: unknown = await response.json().catch(() => undefined);
    const list = baselineListSchema.safeParse(response.ok ? body : undefined);
    const version = list.data?.versions.find(
      ({ source }) => source.type === "upload" && source.uploadId === uploadId,
    );
    return version && { version: version.version, rows: version.rows };
  }

  private async startUpload<Answer>(
    body: string | undefined,
    schema: z.ZodType<Answer>,
    what: string,
  ): Promise<Answer> {
    const answer = await callApi(
      this.uploadsUrl,
      { method: "POST", token: this.options.token, body },
      this.context(`asking for ${what}`),
    );
    const refused = refusal(answer, FORBIDDEN);
    if (refused) throw refused;
    const started = schema.safeParse(answer.body);
    if (answer.status !== 201 || !started.success) {
      throw new ApiFailedError(`the API answered ${describeAnswer(answer)} when asked for ${what}`);
    }
    return started.data;
  }

  private context(what: string): RetryContext & { fetch?: typeof fetch } {
    return { what, policy: this.options.policy, onRetry: this.options.onRetry, fetch: this.options.fetch };
  }
}
