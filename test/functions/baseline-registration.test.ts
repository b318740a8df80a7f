import { gzipSync } from "node:zlib";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baselineRegistrationQueue } from "#shared/aws/resources";
import { loadHandler } from "#shared/local/handler-modules";
import { lambdaContext } from "#shared/local/lambda-context";
import { type SqsEventSource, startSqsEventSource } from "#shared/local/sqs-event-source";
import { SYNC_REGISTRATION_BYTES_ENV } from "#shared/monitoring/baselines";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { sqsRecord } from "../support/sqs-records.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

/** Lower than any upload here, so every one is registered by the worker; restored after the file. */
const savedThreshold = process.env[SYNC_REGISTRATION_BYTES_ENV];
let registrations: SqsEventSource;
beforeAll(() => {
  process.env[SYNC_REGISTRATION_BYTES_ENV] = "100";
  // The runtime's event source, as on AWS: other test files may consume these messages too, with the same handler.
  registrations = startSqsEventSource({
    queueUrl: process.env[baselineRegistrationQueue.envVar] as string,
    handler: "register-baseline",
  });
});
afterAll(async () => {
  await registrations?.stop();
  if (savedThreshold === undefined) delete process.env[SYNC_REGISTRATION_BYTES_ENV];
  else process.env[SYNC_REGISTRATION_BYTES_ENV] = savedThreshold;
});

const recordLines = (rows: number) =>
  Array.from({ length: rows }, (_, i) =>
    JSON.stringify({ features: { age: 20 + (i % 50), plan: i % 2 ? "pro" : "free" }, prediction: i % 2 }),
  );

async function createModel(): Promise<string> {
  const modelId = uniqueModelId("baseline-async");
  const answer = await call("PUT", `/v1/models/${modelId}`, {
    token: ADMIN_TOKEN,
    body: { task: "classification" },
  });
  expect(answer.status).toBe(200);
  return modelId;
}

/** Uploads `lines` as gzip NDJSON through a single pre-signed PUT and returns the upload id. */
async function upload(modelId: string, lines: string[]): Promise<string> {
  const ticket = await call("POST", `/v1/models/${modelId}/baseline/uploads`, { token: ADMIN_TOKEN });
  expect(ticket.status).toBe(201);
  const put = await fetch(ticket.body.url, {
    method: "PUT",
    headers: ticket.body.headers,
    body: gzipSync(`${lines.join("\n")}\n`),
  });
  expect(put.status).toBe(200);
  return ticket.body.uploadId;
}

const register = (modelId: string, uploadId: string) =>
  call("PUT", `/v1/models/${modelId}/baseline`, { token: ADMIN_TOKEN, body: { upload: { id: uploadId } } });

const statusOf = (modelId: string, uploadId: string) =>
  call("GET", `/v1/models/${modelId}/baseline/uploads/${uploadId}`, { token: ADMIN_TOKEN });

/** The upload's status once it is no longer registering. */
async function settledStatus(modelId: string, uploadId: string) {
  for (let attempt = 0; attempt < 300; attempt++) {
    const answer = await statusOf(modelId, uploadId);
    expect(answer.status).toBe(200);
    if (answer.body.status !== "registering") return answer.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`upload ${uploadId} still registering`);
}

async function versionsOf(modelId: string): Promise<number[]> {
  const answer = await call("GET", `/v1/models/${modelId}/baseline`, { token: ADMIN_TOKEN });
  return answer.body.versions.map((version: { version: number }) => version.version);
}

/** The SQS event Lambda would deliver for a registration message on its `receives`-th receive. */
function registrationEvent(body: object, receives: number): SQSEvent {
  const record = sqsRecord(JSON.stringify(body), baselineRegistrationQueue.localName, {
    messageId: `redelivered-${receives}`,
    receives,
  });
  return { Records: [record] };
}

describe("registering a large upload", () => {
  it("answers 202 and has the worker register it; the status then names the version and its rows", async () => {
    const modelId = await createModel();
    const uploadId = await upload(modelId, recordLines(2000));
    const accepted = await register(modelId, uploadId);
    expect(accepted).toMatchObject({ status: 202, body: { status: "registering", uploadId } });
    expect(await settledStatus(modelId, uploadId)).toEqual({
      uploadId,
      status: "registered",
      version: 1,
      rows: 2000,
    });
    const { body } = await call("GET", `/v1/models/${modelId}/baseline`, { token: ADMIN_TOKEN });
    expect(body.current).toMatchObject({ version: 1, rows: 2000, createdBy: "admin", source: { uploadId } });
    // Registered, the upload answers a retried PUT with its version, as a small one does.
    expect(await register(modelId, uploadId)).toMatchObject({
      status: 200,
      body: { version: 1, rows: 2000 },
    });
  });

  it("ignores a redelivered message of a registered upload: no second version", async () => {
    const modelId = await createModel();
    const uploadId = await upload(modelId, recordLines(300));
    expect((await register(modelId, uploadId)).status).toBe(202);
    expect(await settledStatus(modelId, uploadId)).toMatchObject({ status: "registered", version: 1 });
    const worker = await loadHandler("register-baseline");
    const message = { modelId, uploadId, createdBy: "admin", requestedAt: new Date().toISOString() };
    const response = await worker(registrationEvent(message, 2), lambdaContext("register-baseline"));
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await versionsOf(modelId)).toEqual([1]);
    expect(await settledStatus(modelId, uploadId)).toMatchObject({ status: "registered", version: 1 });
  });

  it("marks a bad upload failed with its line errors, for good, and stores nothing", async () => {
    const modelId = await createModel();
    const lines = recordLines(100);
    lines[6] = JSON.stringify({ features: { age: 30 } });
    const uploadId = await upload(modelId, lines.slice(0, 40));
    expect((await register(modelId, uploadId)).status).toBe(202);
    const failed = await settledStatus(modelId, uploadId);
    expect(failed).toEqual({
      uploadId,
      status: "failed",
      error: {
        detail: "Bad records in the upload; nothing was stored",
        errors: [{ path: "line 7: prediction", message: expect.any(String) }],
      },
    });
    expect(await versionsOf(modelId)).toEqual([]);
  });

  it("answers 404 for an upload never registered, and for an id that is no upload id", async () => {
    const modelId = await createModel();
    const uploadId = await upload(modelId, recordLines(10));
    expect((await statusOf(modelId, uploadId)).status).toBe(404);
    expect((await statusOf(modelId, "not-an-upload")).status).toBe(404);
  });

  it("marks the upload failed on the last receive of a message whose upload is gone", async () => {
    const modelId = await createModel();
    const uploadId = "00000000-0000-4000-8000-000000000000";
    const worker = await loadHandler("register-baseline");
    const message = { modelId, uploadId, createdBy: "admin", requestedAt: new Date().toISOString() };
    const response = await worker(registrationEvent(message, 1), lambdaContext("register-baseline"));
    // A missing upload is bad input, not a fault: final at once, and the message is done with.
    expect(response).toEqual({ batchItemFailures: [] });
    expect(await settledStatus(modelId, uploadId)).toMatchObject({
      status: "failed",
      error: { detail: expect.stringMatching(/^No upload "/) },
    });
  });
});
