import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiFailedError, DEFAULT_RETRY_POLICY } from "#shared/cli/api-client";
import { uploadFile } from "#shared/cli/baseline-upload";
import { useTempFiles } from "../readers/support/temp-files.ts";

const write = useTempFiles();
const content = randomBytes(3 * 1024 * 1024 + 17);
const file = write("records.ndjson.gz", content);

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Reply = (response: ServerResponse, request: IncomingMessage) => void;

/** A storage stand-in: `replies[i]` answers the i-th PUT, the last one every later one. */
let replies: Reply[] = [];
let received: Received[] = [];
/** Whether the stand-in answers `Expect: 100-continue` (a proxy in between may not). */
let sendsContinue = true;
let url = "";
const replyTo = (index: number) => replies[Math.min(index, replies.length - 1)] as Reply;

/** Notes a PUT as it arrives; its body is filled in once read. */
function arrived(request: IncomingMessage): Received {
  const put = {
    method: request.method ?? "",
    url: request.url ?? "",
    headers: request.headers,
    body: Buffer.alloc(0),
  };
  received.push(put);
  return put;
}

const server = createServer(async (request, response) => {
  const reply = replyTo(received.length);
  const put = arrived(request);
  if (reply === lose || reply === stall) return reply(response, request);
  const pieces: Buffer[] = [];
  for await (const piece of request) pieces.push(piece as Buffer);
  put.body = Buffer.concat(pieces);
  reply(response, request);
});
// As S3 does: a request it refuses gets its answer instead of 100 Continue, before any of the body.
server.on("checkContinue", (request, response) => {
  if (replyTo(received.length) === refuseAtOnce) {
    arrived(request);
    return refuseAtOnce(response, request);
  }
  if (sendsContinue) response.writeContinue();
  server.emit("request", request, response);
});

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bucket/uploads/key.ndjson.gz?X-Amz-Signature=abc`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ok: Reply = (response) => response.writeHead(200, { etag: '"x"' }).end();
const status =
  (code: number, body = ""): Reply =>
  (response) =>
    response.writeHead(code, { "content-type": "application/xml" }).end(body);
const lose: Reply = (_, request) => request.socket.destroy();
const stall: Reply = () => {};
const refuseAtOnce: Reply = (response) =>
  response
    .writeHead(403, { "content-type": "application/xml" })
    .end(s3Error("AccessDenied", "Access Denied"));

const s3Error = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>1</RequestId></Error>`;

async function run(script: Reply[], policy: Partial<typeof DEFAULT_RETRY_POLICY> = {}) {
  replies = script;
  received = [];
  const progress: number[] = [];
  const notes: string[] = [];
  const waits: number[] = [];
  const error = await uploadFile(
    file,
    content.length,
    { url, headers: { "content-type": "application/gzip" } },
    {
      policy: { ...DEFAULT_RETRY_POLICY, ...policy },
      onProgress: (sent) => progress.push(sent),
      onRetry: (note) => notes.push(note),
      sleep: async (ms) => waits.push(ms),
      random: () => 0.5,
    },
  ).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  return { error, progress, notes, waits };
}

describe("uploadFile", () => {
  it("PUTs the whole file with its Content-Length and the signed headers, reporting the bytes sent", async () => {
    const { error, progress } = await run([ok]);
    expect(error).toBeUndefined();
    expect(received).toHaveLength(1);
    const [put] = received as [Received];
    expect(put.method).toBe("PUT");
    expect(put.url).toBe("/bucket/uploads/key.ndjson.gz?X-Amz-Signature=abc");
    expect(put.headers["content-length"]).toBe(String(content.length));
    expect(put.headers["content-type"]).toBe("application/gzip");
    expect(put.headers["transfer-encoding"]).toBeUndefined();
    expect(put.body.equals(content)).toBe(true);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(content.length);
  });

  it("retries a 500, a 503 and a lost connection, sending the whole file again each time", async () => {
    const { error, notes, waits } = await run([
      status(500, s3Error("InternalError", "We encountered an internal error. Please try again.")),
      status(503, s3Error("SlowDown", "Please reduce your request rate.")),
      lose,
      ok,
    ]);
    expect(error).toBeUndefined();
    expect(received).toHaveLength(4);
    expect((received[3] as Received).body.equals(content)).toBe(true);
    // random() = 0.5: half of 500, 1000, 2000 ms.
    expect(waits).toEqual([250, 500, 1000]);
    expect(notes.slice(0, 2)).toEqual([
      "the upload: 500 InternalError: We encountered an internal error. Please try again.; retry 1 of 5 in 0.3 s",
      "the upload: 503 SlowDown: Please reduce your request rate.; retry 2 of 5 in 0.5 s",
    ]);
    expect(notes[2]).toMatch(/^the upload: network error \(.+\); retry 3 of 5 in 1\.0 s$/);
  });

  it("stops at a refusal, naming S3's error code and message", async () => {
    const { error } = await run([status(403, s3Error("AccessDenied", "Request has expired"))]);
    expect(received).toHaveLength(1);
    expect(error).toBeInstanceOf(ApiFailedError);
    expect((error as Error).message).toBe(
      "storage refused the upload (403 AccessDenied: Request has expired)",
    );
  });

  it("waits for 100 Continue, so a refusal comes back as an answer before the file is sent", async () => {
    const { error, progress } = await run([refuseAtOnce]);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers.expect).toBe("100-continue");
    expect((error as Error).message).toBe("storage refused the upload (403 AccessDenied: Access Denied)");
    expect(progress).toEqual([]);
  });

  it("sends the file after a wait when no 100 Continue comes", async () => {
    sendsContinue = false;
    const { error } = await run([ok]).finally(() => {
      sendsContinue = true;
    });
    expect(error).toBeUndefined();
    expect(received[0]?.body.equals(content)).toBe(true);
  });

  it("gives up after the retries with the last reason, counting a stalled connection as a network error", async () => {
    const { error } = await run([stall], { retries: 1, timeoutMs: 200 });
    expect(received).toHaveLength(2);
    expect((error as Error).message).toBe(
      "gave up on the upload after 2 attempts: network error (the connection stalled for 0.2 s)",
    );
  });
});
