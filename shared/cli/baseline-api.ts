import { z } from "zod";
import type { FieldError } from "#shared/http/problem";
import {
  type BaselineMultipartUpload,
  type BaselineUploadUrl,
  baselineMultipartUploadSchema,
  baselineUploadUrlSchema,
  baselineVersionSchema,
  type UploadReference,
} from "#shared/schemas/baseline";
import {
  ApiFailedError,
  callApi,
  describeAnswer,
  fetchApi,
  modelUrl,
  type RetryContext,
  type RetryPolicy,
  refusal,
  withRetries,
} from "./api-client.ts";

/** What `PUT /v1/models/{modelId}/baseline` answers: the version it stored, and its rows. */
const registeredSchema = baselineVersionSchema.pick({ version: true, rows: true });

const baselineListSchema = z.object({ versions: z.array(baselineVersionSchema) });

export type RegisteredBaseline = z.infer<typeof registeredSchema>;

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
   * @throws UploadRefusedError on 400; ApiRefusedError on 401 and 403; ApiFailedError on anything
   *   else but a 200 with the version
   */
  async register(upload: UploadReference): Promise<RegisteredBaseline> {
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
    const registered = registeredSchema.safeParse(answer.body);
    if (answer.status !== 200 || !registered.success) {
      throw new ApiFailedError(`the API answered ${describeAnswer(answer)} when registering the upload`);
    }
    return registered.data;
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
