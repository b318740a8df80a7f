import { createReadStream, type ReadStream } from "node:fs";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import {
  type ApiAnswer,
  ApiFailedError,
  describeAnswer,
  type RetryPolicy,
  withRetries,
} from "./api-client.ts";

/** Pieces of the file sent at a time; each one sent is a progress report. */
const PIECE_BYTES = 1 << 20;
/** How long to wait for `100 Continue` before sending the body anyway (curl waits 1 s too). */
const CONTINUE_WAIT_MS = 1000;

/** Where and how to PUT a file: a pre-signed URL and the headers it was signed with. */
export interface UploadTarget {
  url: string;
  headers: Record<string, string>;
}

export interface UploadOptions {
  /** Retries, backoff, and `timeoutMs`: how long the connection may stall before it counts as a network error. */
  policy: RetryPolicy;
  /** Called as the file goes out, with the bytes of this attempt sent so far. */
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
  const url = new URL(target.url);
  const answer = await withRetries(() => putOnce(url, path, size, target.headers, options), {
    what: "the upload",
    policy: options.policy,
    // Storage answers 500 (InternalError) and 503 (SlowDown) for faults that pass, and never 429.
    retryable: (status) => status >= 500,
    describe: describeStorageAnswer,
    onRetry: options.onRetry,
    sleep: options.sleep,
    random: options.random,
  });
  if (answer.status < 200 || answer.status > 299) {
    throw new ApiFailedError(`storage refused the upload (${describeStorageAnswer(answer)})`);
  }
}

/**
 * One PUT of the whole file, answered as a fetch Response would be. The body waits for
 * `100 Continue`, so that a refusal (an expired URL) comes back as an answer before any of it is
 * sent, rather than as a connection reset partway through it.
 */
function putOnce(
  url: URL,
  path: string,
  size: number,
  headers: Record<string, string>,
  options: UploadOptions,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    // A connection of this attempt's own (agent: false): a kept-alive one would hold the process open.
    const request = send(url, {
      method: "PUT",
      headers: { ...headers, "content-length": String(size), expect: "100-continue" },
      agent: false,
    });
    let file: ReadStream | undefined;
    const sendFile = () => {
      clearTimeout(continueTimer);
      if (file) return;
      file = createReadStream(path, { highWaterMark: PIECE_BYTES });
      let sent = 0;
      file.on("data", (piece) => {
        sent += piece.length;
        options.onProgress?.(sent);
      });
      file.on("error", (error) => request.destroy(error));
      file.pipe(request);
    };
    // RFC 9110 §10.1.1: a server may not answer 100 at all (a proxy in between); send anyway after a wait.
    const continueTimer = setTimeout(sendFile, CONTINUE_WAIT_MS);
    request.on("continue", sendFile);
    request.setTimeout(options.policy.timeoutMs, () => {
      request.destroy(
        new Error("stalled", {
          cause: { message: `the connection stalled for ${options.policy.timeoutMs / 1000} s` },
        }),
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
