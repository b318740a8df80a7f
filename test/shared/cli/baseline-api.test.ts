import { describe, expect, it } from "vitest";
import { ApiRefusedError } from "#shared/cli/api-client";
import { BaselineApi, UploadRefusedError } from "#shared/cli/baseline-api";
import { ApiFailedError, DEFAULT_RETRY_POLICY } from "#shared/http/with-retries";

const UPLOAD_ID = "0b6c1f9e-3c1e-4c53-9d59-2f1f4d1c2a7e";

interface Call {
  method: string;
  url: string;
  headers: Headers;
  body?: string;
}

type Reply = (call: Call) => Response;

const problem = (status: number, body: Record<string, unknown> = {}) =>
  Response.json({ type: "about:blank", status, ...body }, { status });

const ticket = {
  uploadId: UPLOAD_ID,
  url: "https://driftwatch-data.s3.eu-west-1.amazonaws.com/uploads/x.ndjson.gz?X-Amz-Signature=abc",
  method: "PUT",
  headers: { "content-type": "application/gzip" },
  expiresAt: "2026-12-01T23:00:00.000Z",
};

const version = (number: number, uploadId: string) => ({
  version: number,
  rows: 5000,
  columns: 3,
  source: { type: "upload", uploadId },
  createdBy: "admin",
  createdAt: "2026-12-01T22:00:00.000Z",
  prefix: `baselines/model=churn/${number}/`,
  bytes: 120_000,
});

const lostAnswer: Reply = () => {
  throw new TypeError("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) });
};

/** A BaselineApi against a scripted API: each reply answers one call, in order. */
function scripted(replies: Reply[]) {
  const calls: Call[] = [];
  const fetchStub: typeof fetch = async (url, init) => {
    const call = {
      method: String(init?.method),
      url: String(url),
      headers: new Headers(init?.headers),
      body: init?.body === undefined ? undefined : String(init.body),
    };
    calls.push(call);
    const reply = replies[calls.length - 1];
    if (!reply) throw new Error(`unexpected call ${calls.length}: ${call.method} ${call.url}`);
    return reply(call);
  };
  const api = new BaselineApi({
    api: "http://127.0.0.1:3000/stage",
    model: "churn",
    token: "admin-secret",
    policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 1, maxDelayMs: 1 },
    fetch: fetchStub,
  });
  return { api, calls };
}

describe("BaselineApi", () => {
  it("asks for an upload URL with the admin token", async () => {
    const { api, calls } = scripted([() => Response.json(ticket, { status: 201 })]);
    expect(await api.createUpload()).toEqual(ticket);
    expect(calls.map(({ method, url }) => `${method} ${url}`)).toEqual([
      "POST http://127.0.0.1:3000/stage/v1/models/churn/baseline/uploads",
    ]);
    expect(calls[0]?.headers.get("authorization")).toBe("Bearer admin-secret");
  });

  it("names what to check on 401, 403 and 404, and fails on an answer without a ticket", async () => {
    const errors = await Promise.all(
      [
        problem(401, { title: "Unauthorized", detail: "Malformed token" }),
        problem(403, { title: "Forbidden", detail: "This route takes the admin token" }),
        problem(404, { title: "Not found", detail: 'Model "churn" does not exist' }),
        Response.json({ uploadId: "not-a-uuid" }, { status: 201 }),
      ].map((response) =>
        scripted([() => response])
          .api.createUpload()
          .catch((error: unknown) => error),
      ),
    );
    expect(errors.map((error) => (error as Error).constructor)).toEqual([
      ApiRefusedError,
      ApiRefusedError,
      ApiRefusedError,
      ApiFailedError,
    ]);
    expect(errors.map((error) => (error as Error).message)).toEqual([
      "the API refused the token (401 Unauthorized: Malformed token); check --token",
      "the token may not set the model's baseline, which takes the admin token (403 Forbidden: This route takes the admin token); check --token",
      'the API has no such model, or --api is not a DriftWatch API (404 Not found: Model "churn" does not exist); check --model and --api',
      "the API answered 201 when asked for an upload URL",
    ]);
  });

  it("asks for a multipart upload of the file's size, and fails on an answer without parts", async () => {
    const multipart = {
      uploadId: UPLOAD_ID,
      multipartUploadId: "s3-upload-1",
      partSize: 8 * 1024 ** 2,
      parts: [1, 2].map((partNumber) => ({ partNumber, url: `${ticket.url}&partNumber=${partNumber}` })),
      abort: { method: "DELETE", url: `${ticket.url}&uploadId=s3-upload-1` },
      expiresAt: "2026-12-01T23:00:00.000Z",
    };
    const { api, calls } = scripted([() => Response.json(multipart, { status: 201 })]);
    expect(await api.createMultipartUpload(9_000_000)).toEqual(multipart);
    expect(calls[0]).toMatchObject({
      method: "POST",
      url: "http://127.0.0.1:3000/stage/v1/models/churn/baseline/uploads",
      body: JSON.stringify({ bytes: 9_000_000 }),
    });
    expect(calls[0]?.headers.get("content-type")).toBe("application/json");
    // An API from before multipart uploads ignores the body and hands out one URL.
    const old = scripted([() => Response.json(ticket, { status: 201 })]);
    const error = await old.api.createMultipartUpload(9_000_000).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiFailedError);
    expect((error as Error).message).toBe("the API answered 201 when asked for a multipart upload");
  });

  it("registers a multipart upload with its id and every part's ETag", async () => {
    const { api, calls } = scripted([() => Response.json({ version: 5, rows: 400_000 })]);
    const upload = {
      id: UPLOAD_ID,
      multipartUploadId: "s3-upload-1",
      parts: [
        { partNumber: 1, etag: '"a"' },
        { partNumber: 2, etag: '"b"' },
      ],
    };
    expect(await api.register(upload)).toEqual({ version: 5, rows: 400_000 });
    expect(calls[0]?.body).toBe(JSON.stringify({ upload }));
  });

  it("registers the upload and returns the version", async () => {
    const { api, calls } = scripted([() => Response.json({ version: 3, rows: 5000 })]);
    expect(await api.register({ id: UPLOAD_ID })).toEqual({ version: 3, rows: 5000 });
    expect(calls[0]).toMatchObject({
      method: "PUT",
      url: "http://127.0.0.1:3000/stage/v1/models/churn/baseline",
      body: JSON.stringify({ upload: { id: UPLOAD_ID } }),
    });
    expect(calls[0]?.headers.get("content-type")).toBe("application/json");
  });

  it("finds the version a registration whose answer was lost stored, instead of registering again", async () => {
    const { api, calls } = scripted([
      lostAnswer,
      () => Response.json({ current: version(4, UPLOAD_ID), versions: [version(4, UPLOAD_ID)] }),
    ]);
    expect(await api.register({ id: UPLOAD_ID })).toEqual({ version: 4, rows: 5000 });
    expect(calls.map(({ method }) => method)).toEqual(["PUT", "GET"]);
  });

  it("registers again after a lost answer when no version came from the upload", async () => {
    const { api, calls } = scripted([
      () => problem(503, { title: "Service unavailable" }),
      () => Response.json({ current: version(1, "other"), versions: [version(1, "other")] }),
      () => Response.json({ version: 2, rows: 5000 }),
    ]);
    expect(await api.register({ id: UPLOAD_ID })).toEqual({ version: 2, rows: 5000 });
    expect(calls.map(({ method }) => method)).toEqual(["PUT", "GET", "PUT"]);
  });

  it("passes on the records the API refused (400), by line of the upload", async () => {
    const errors = [{ path: "line 17: features.age", message: "feature value must be a finite number" }];
    const { api } = scripted([
      () =>
        problem(400, {
          title: "Invalid request",
          detail: "Bad records in the upload; nothing was stored",
          errors,
        }),
    ]);
    const error = await api.register({ id: UPLOAD_ID }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(UploadRefusedError);
    expect((error as UploadRefusedError).errors).toEqual(errors);
    expect((error as Error).message).toBe(
      "the API refused the upload (400 Invalid request: Bad records in the upload; nothing was stored)",
    );
  });
});
