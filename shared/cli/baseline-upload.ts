import { createReadStream, type ReadStream } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ApiAnswer,
  ApiFailedError,
  describeAnswer,
  type RetryPolicy,
  withRetries,
} from "#shared/http/with-retries";
import type { BaselineMultipartUpload, UploadedPart } from "#shared/schemas/baseline";
import { type PartRange, partRanges } from "#shared/util/upload-parts";

/** Pieces of the file sent at a time; each one sent is a progress report. */
const PIECE_BYTES = 1 << 20;
/** How long to wait for `100 Continue` before sending the body anyway (curl waits 1 s too). */
const CONTINUE_WAIT_MS = 1000;
/** Parts in flight at once: enough to fill a connection, few enough to leave a slow one some bandwidth each. */
const PARALLEL_PARTS = 4;
/** How long the best-effort abort of a failed upload may take. */
const ABORT_TIMEOUT_MS = 10_000;

/** Where and how to PUT a file: a pre-signed URL and the headers it was signed with. */
export interface UploadTarget {
  url: string;
  headers: Record<string, string>;
}

export interface UploadOptions {
  /** Retries, backoff, and `timeoutMs`: how long the connection may stall before it counts as a network error. */
  policy: RetryPolicy;
  /** Called as the file goes out, with the bytes sent so far; a retried part counts from its latest attempt. */
  onProgress?(bytesSent: number): void;
  /** Called before each wait to retry, saying why and for how long. */
  onRetry?(note: string): void;
  sleep?: (ms: number) => Promise<unknown>;
  random?: () => number;
}

/**
 * PUTs a file to a pre-signed URL, streamed from disk with its Content-Length (a pre-signed PUT takes
 * no chunked body), and the headers the URL was signed with. 5xx answers and network errors are
 * retried, resending the whole file, with backoff as {@link withRetries} does.
 *
 * @throws ApiFailedError when storage refuses the file, or still fails after the retries
 * @example
 * await uploadFile("/tmp/records.ndjson.gz", size, { url, headers: { "content-type": "application/gzip" } }, {
 *   policy: DEFAULT_RETRY_POLICY,
 *   onProgress: (sent) => console.error(`${sent} of ${size} bytes`),
 * });
 */
export async function uploadFile(
  path: string,
  size: number,
  target: UploadTarget,
  options: UploadOptions,
): Promise<void> {
  const range = { partNumber: 1, start: 0, end: size };
  await putWithRetries(path, range, target, "the upload", options, (sent) => options.onProgress?.(sent));
}

/**
 * PUTs a file in the parts of a multipart upload, each its byte range to its pre-signed URL, at most
 * {@link PARALLEL_PARTS} at once. Each part is retried on its own as {@link uploadFile} retries the
 * whole file; once one fails for good, no more start and those in flight are stopped.
 *
 * @returns every part's number and ETag, in part order, for the registration
 * @throws ApiFailedError when storage refuses a part, answers one without an ETag, or still fails
 *   after the retries; also when the parts handed out do not cut a file of `size`
 * @example
 * const parts = await uploadParts("/tmp/records.ndjson.gz", size, upload, { policy: DEFAULT_RETRY_POLICY });
 * await api.register({ id: upload.uploadId, multipartUploadId: upload.multipartUploadId, parts });
 */
export async function uploadParts(
  path: string,
  size: number,
  upload: Pick<BaselineMultipartUpload, "partSize" | "parts">,
  options: UploadOptions,
): Promise<UploadedPart[]> {
  const ranges = partRanges(size, upload.partSize);
  const urls = upload.parts.map(({ url }) => url);
  if (
    urls.length !== ranges.length ||
    upload.parts.some(({ partNumber }, index) => partNumber !== index + 1)
  ) {
    throw new ApiFailedError(
      `the API handed out ${urls.length} part URLs for a file of ${ranges.length} parts of ${upload.partSize} bytes`,
    );
  }
  const stop = new AbortController();
  const sent = new Array<number>(ranges.length).fill(0);
  let total = 0;
  const uploaded: UploadedPart[] = [];
  let failure: unknown;
  let next = 0;
  const sendParts = async () => {
    while (next < ranges.length && !stop.signal.aborted) {
      const range = ranges[next++] as PartRange;
      const what = `part ${range.partNumber} of ${ranges.length}`;
      const target = { url: urls[range.partNumber - 1] as string, headers: {} };
      const onPartProgress = (bytes: number) => {
        total += bytes - (sent[range.partNumber - 1] as number);
        sent[range.partNumber - 1] = bytes;
        options.onProgress?.(total);
      };
      try {
        const headers = await putWithRetries(path, range, target, what, options, onPartProgress, stop.signal);
        const etag = headers.get("etag");
        if (!etag) throw new ApiFailedError(`storage answered ${what} without an ETag`);
        uploaded[range.partNumber - 1] = { partNumber: range.partNumber, etag };
      } catch (error) {
        failure ??= error;
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, ranges.length) }, sendParts));
  if (failure !== undefined) throw failure;
  return uploaded;
}

/**
 * Gives a multipart upload up through its pre-signed abort URL, so that its parts stop taking
 * storage now rather than after a day (when the bucket aborts it anyway). Never throws: it is tidying
 * after a failure, which is what the command reports.
 */
export async function abortUpload(url: string): Promise<void> {
  await fetch(url, { method: "DELETE", signal: AbortSignal.timeout(ABORT_TIMEOUT_MS) }).then(
    (response) => response.body?.cancel(),
    () => undefined,
  );
}

/**
 * PUTs one byte range of the file until storage takes it, refuses it, or the retries run out; stops
 * at once when `signal` aborts. Reports the bytes the current attempt has sent.
 *
 * @returns the headers storage answered with
 */
async function putWithRetries(
  path: string,
  range: PartRange,
  target: UploadTarget,
  what: string,
  options: UploadOptions,
  onProgress: (bytesSent: number) => void,
  signal?: AbortSignal,
): Promise<Headers> {
  const url = new URL(target.url);
  let headers = new Headers();
  const answer = await withRetries(
    async () => {
      const response = await putOnce(url, path, range, target.headers, options.policy.timeoutMs, {
        onProgress,
        signal,
      });
      headers = response.headers;
      return response;
    },
    {
      what,
      policy: options.policy,
      // Storage answers 500 (InternalError) and 503 (SlowDown) for faults that pass, and never 429.
      retryable: (status) => status >= 500,
      describe: describeStorageAnswer,
      // A part stopped because another failed is no news.
      onRetry: (note) => {
        if (!signal?.aborted) options.onRetry?.(note);
      },
      sleep: options.sleep ?? ((ms) => sleep(ms, undefined, { signal })),
      random: options.random,
    },
  );
  if (answer.status < 200 || answer.status > 299) {
    throw new ApiFailedError(`storage refused ${what} (${describeStorageAnswer(answer)})`);
  }
  return headers;
}

/**
 * One PUT of a byte range of the file, answered as a fetch Response would be. The body waits for
 * `100 Continue`, so that a refusal (an expired URL) comes back as an answer before any of it is
 * sent, rather than as a connection reset partway through it.
 */
function putOnce(
  url: URL,
  path: string,
  range: PartRange,
  headers: Record<string, string>,
  timeoutMs: number,
  { onProgress, signal }: { onProgress(bytesSent: number): void; signal?: AbortSignal },
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    // A connection of this attempt's own (agent: false): a kept-alive one would hold the process open.
    const request = send(url, {
      method: "PUT",
      headers: { ...headers, "content-length": String(range.end - range.start), expect: "100-continue" },
      agent: false,
      signal,
    });
    let file: ReadStream | undefined;
    const sendFile = () => {
      clearTimeout(continueTimer);
      if (file) return;
      // `end` is inclusive; a gzip file is never empty, so no range is.
      file = createReadStream(path, { start: range.start, end: range.end - 1, highWaterMark: PIECE_BYTES });
      let sent = 0;
      file.on("data", (piece) => {
        sent += piece.length;
        onProgress(sent);
      });
      file.on("error", (error) => request.destroy(error));
      file.pipe(request);
    };
    // RFC 9110 §10.1.1: a server may not answer 100 at all (a proxy in between); send anyway after a wait.
    const continueTimer = setTimeout(sendFile, CONTINUE_WAIT_MS);
    request.on("continue", sendFile);
    request.setTimeout(timeoutMs, () => {
      request.destroy(
        new Error("stalled", { cause: { message: `the connection stalled for ${timeoutMs / 1000} s` } }),
      );
    });
    request.on("error", (error) => {
      clearTimeout(continueTimer);
      file?.destroy();
      reject(error);
    });
    request.on("response", (response) => {
      // An answer before the file is through is a refusal: stop sending it.
      clearTimeout(continueTimer);
      file?.unpipe(request);
      file?.destroy();
      readAnswer(response)
        .then(resolve, reject)
        // A request cut short would hold its connection open.
        .finally(() => request.destroy());
    });
    request.flushHeaders();
  });
}

async function readAnswer(response: IncomingMessage): Promise<Response> {
  const pieces: Buffer[] = [];
  for await (const piece of response) pieces.push(piece as Buffer);
  const text = Buffer.concat(pieces).toString("utf8");
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return new Response(text === "" ? null : text, { status: response.statusCode ?? 502, headers });
}

/** `403 AccessDenied: Request has expired`, from S3's XML error body, or whatever came back. */
function describeStorageAnswer(answer: ApiAnswer): string {
  if (typeof answer.body === "string") {
    const code = /<Code>([^<]*)<\/Code>/.exec(answer.body)?.[1];
    const message = /<Message>([^<]*)<\/Message>/.exec(answer.body)?.[1];
    if (code) return `${answer.status} ${code}${message ? `: ${message}` : ""}`;
  }
  return describeAnswer(answer);
}
