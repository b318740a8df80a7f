import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abortUpload, uploadFile, uploadParts } from "#shared/cli/baseline-upload";
import { ApiFailedError, DEFAULT_RETRY_POLICY } from "#shared/http/with-retries";
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
/** Which reply answers a request, the `index`-th to arrive; `replies` in order unless a test says otherwise. */
let choose = (_request: IncomingMessage, index: number) =>
  replies[Math.min(index, replies.length - 1)] as Reply;
const replyTo = (request: IncomingMessage) => choose(request, received.length);
/** The most PUTs the stand-in held at once. */
let inFlight = 0;
let mostInFlight = 0;

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
  const reply = replyTo(request);
  const put = arrived(request);
  if (reply === lose || reply === stall) return reply(response, request);
  inFlight++;
  mostInFlight = Math.max(mostInFlight, inFlight);
  response.on("close", () => inFlight--);
  const pieces: Buffer[] = [];
  try {
    for await (const piece of request) pieces.push(piece as Buffer);
  } catch {
    // The client gave the request up (a part stopped because another failed).
    return;
  }
  put.body = Buffer.concat(pieces);
  reply(response, request);
});
// As S3 does: a request it refuses gets its answer instead of 100 Continue, before any of the body.
server.on("checkContinue", (request, response) => {
  if (replyTo(request) === refuseAtOnce) {
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

describe("uploadParts", () => {
  const partSize = 512 * 1024;
  // 3 MiB + 17 bytes in parts of 512 KiB: six full parts and one of 17 bytes.
  const partCount = Math.ceil(content.length / partSize);
  const partUrl = (partNumber: number) => `${url}&partNumber=${partNumber}`;
  const upload = () => ({
    partSize,
    parts: Array.from({ length: partCount }, (_, index) => ({
      partNumber: index + 1,
      url: partUrl(index + 1),
    })),
  });
  const partOf = (request: { url?: string }) => Number(/partNumber=(\d+)/.exec(request.url ?? "")?.[1]);
  const tagged: Reply = (response, request) =>
    response.writeHead(200, { etag: `"etag-${partOf(request)}"` }).end();
  const later =
    (reply: Reply, ms: number): Reply =>
    (response, request) =>
      void setTimeout(() => reply(response, request), ms);

  /** Answers each part's attempts with its script (the last reply for every later attempt), `tagged` for unscripted parts. */
  async function runParts(scripts: Record<number, Reply[]>, options: { retries?: number } = {}) {
    received = [];
    mostInFlight = 0;
    choose = (request) => {
      const partNumber = partOf(request);
      const script = scripts[partNumber] ?? [tagged];
      const attempt = received.filter((put) => partOf(put) === partNumber).length;
      return script[Math.min(attempt, script.length - 1)] as Reply;
    };
    const progress: number[] = [];
    const notes: string[] = [];
    const outcome = await uploadParts(file, content.length, upload(), {
      policy: { ...DEFAULT_RETRY_POLICY, ...options },
      onProgress: (sent) => progress.push(sent),
      onRetry: (note) => notes.push(note),
      sleep: async () => {},
      random: () => 0.5,
    })
      .then(
        (parts) => ({ parts, error: undefined }),
        (error: unknown) => ({ parts: undefined, error }),
      )
      .finally(() => {
        choose = (_, index) => replies[Math.min(index, replies.length - 1)] as Reply;
      });
    return { ...outcome, progress, notes };
  }

  it("PUTs each part's byte range to its URL, at most 4 at once, and returns the ETags in part order", async () => {
    const slowly = later(tagged, 50);
    const { parts, error, progress } = await runParts(
      Object.fromEntries(Array.from({ length: partCount }, (_, index) => [index + 1, [slowly]])),
    );
    expect(error).toBeUndefined();
    expect(parts).toEqual(
      Array.from({ length: partCount }, (_, index) => ({
        partNumber: index + 1,
        etag: `"etag-${index + 1}"`,
      })),
    );
    expect(received).toHaveLength(partCount);
    const byPart = [...received].sort((a, b) => partOf(a) - partOf(b));
    expect(byPart.map((put) => Number(put.headers["content-length"]))).toEqual([
      ...Array.from({ length: partCount - 1 }, () => partSize),
      17,
    ]);
    expect(Buffer.concat(byPart.map((put) => put.body)).equals(content)).toBe(true);
    expect(byPart.every((put) => put.headers["content-type"] === undefined)).toBe(true);
    expect(mostInFlight).toBe(4);
    expect(progress.at(-1)).toBe(content.length);
    expect(progress.every((sent, index) => index === 0 || sent >= (progress[index - 1] as number))).toBe(
      true,
    );
  });

  it("retries a failed part on its own, without sending the others again", async () => {
    const { parts, error, notes } = await runParts({
      3: [
        status(500, s3Error("InternalError", "We encountered an internal error. Please try again.")),
        tagged,
      ],
      5: [lose, tagged],
    });
    expect(error).toBeUndefined();
    expect(parts?.map((part) => part.etag)).toEqual(
      Array.from({ length: partCount }, (_, index) => `"etag-${index + 1}"`),
    );
    expect(received.map(partOf).sort((a, b) => a - b)).toEqual([1, 2, 3, 3, 4, 5, 5, 6, 7]);
    expect(notes).toContain(
      `part 3 of ${partCount}: 500 InternalError: We encountered an internal error. Please try again.; retry 1 of 5 in 0.3 s`,
    );
    expect(
      notes.some((note) => /^part 5 of 7: network error \(.+\); retry 1 of 5 in 0\.3 s$/.test(note)),
    ).toBe(true);
  });

  it("stops at a part storage refuses: no more parts start, those in flight are stopped, the error names the part", async () => {
    const started = performance.now();
    const held = later(tagged, 5000);
    const { error, notes } = await runParts({
      1: [later(refuseAtOnce, 50)],
      2: [held],
      3: [held],
      4: [held],
    });
    expect(error).toBeInstanceOf(ApiFailedError);
    expect((error as Error).message).toBe(
      `storage refused part 1 of ${partCount} (403 AccessDenied: Access Denied)`,
    );
    expect(received.map(partOf).sort()).toEqual([1, 2, 3, 4]);
    expect(performance.now() - started).toBeLessThan(4000);
    expect(notes).toEqual([]);
  });

  it("fails on a part that storage answers without an ETag", async () => {
    const { error } = await runParts({ 2: [(response) => response.writeHead(200).end()] });
    expect((error as Error).message).toBe(`storage answered part 2 of ${partCount} without an ETag`);
  });

  it("refuses part URLs that do not cut the file into parts of the given size", async () => {
    received = [];
    const error = await uploadParts(
      file,
      content.length,
      { partSize, parts: upload().parts.slice(1) },
      {
        policy: DEFAULT_RETRY_POLICY,
      },
    ).catch((failure: unknown) => failure);
    expect((error as Error).message).toBe(
      `the API handed out ${partCount - 1} part URLs for a file of ${partCount} parts of ${partSize} bytes`,
    );
    expect(received).toEqual([]);
  });
});

describe("abortUpload", () => {
  it("DELETEs the abort URL, and never throws, whatever the answer", async () => {
    const deletes: string[] = [];
    const stub = createServer((request, response) => {
      deletes.push(`${request.method} ${request.url}`);
      response.writeHead(deletes.length === 1 ? 204 : 500).end();
    });
    stub.listen(0, "127.0.0.1");
    await once(stub, "listening");
    const abortUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}/bucket/key?uploadId=u`;
    await expect(abortUpload(abortUrl)).resolves.toBeUndefined();
    await expect(abortUpload(abortUrl)).resolves.toBeUndefined();
    stub.closeAllConnections();
    await new Promise((resolve) => stub.close(resolve));
    await expect(abortUpload(abortUrl)).resolves.toBeUndefined();
    expect(deletes).toEqual(["DELETE /bucket/key?uploadId=u", "DELETE /bucket/key?uploadId=u"]);
  });
});
