import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { s3Client, sqsClient } from "#shared/aws/clients";
import { baselineRegistrationQueue, dataBucket } from "#shared/aws/resources";
import { bucketName, requiredEnv } from "#shared/config/environment";
import { type FieldError, HttpProblem, NotFoundProblem, ValidationProblem } from "#shared/http/problem";
import { fieldErrors, parseOrReject } from "#shared/http/validation";
import { validatePredictions } from "#shared/ingest/validate-predictions";
import {
  type BaselineRegistrationAccepted,
  type BaselineRegistrationMessage,
  type BaselineUploadStatus,
  type BaselineVersion,
  baselineRequestSchema,
} from "#shared/schemas/baseline";
import { predictionRecordSchema } from "#shared/schemas/prediction-record";
import { listBaselines, saveBaseline } from "#shared/storage/baseline-store";
import { readNdjsonObject } from "#shared/storage/log-batches";
import { objectExists, objectSize } from "#shared/storage/object-exists";
import { deleteUploadStatus, readUploadStatus, writeUploadStatus } from "#shared/storage/upload-status";
import type { DatasetSummary } from "#shared/summaries/dataset-summary";
import { completeUpload, uploadKey } from "./baseline-uploads.ts";
import { RecordSummaryBuilder } from "./record-summary.ts";
import { planCheck, summarizePlan } from "./run-check.ts";

/** A bad upload reports this many bad lines at most, so the answer stays readable. */
const MAX_REPORTED_LINES = 20;
/**
 * Uploads up to this size (compressed) are registered within the API call, larger ones by the
 * register-baseline worker (202). The time goes by rows, not bytes. Measured on one core of a dev
 * machine (Node 20, emulators local): 2,000,000 compressible rows (4 features, probabilities) in
 * 23 MB took 18.5 s, 800,000 rows of random floats in 34 MB 6.4 s, 200,000 in 8.5 MB 1.7 s. At
 * 8 MiB the worst of those is about 700,000 rows, 6.5 s: a fourth of the put-baseline function's
 * 28 s, room for a slower Lambda vCPU. It is also the CLI's one-PUT limit, so a file the CLI sends
 * whole is answered at once.
 */
const SYNC_REGISTRATION_BYTES = 8 * 1024 ** 2;
/** Overrides SYNC_REGISTRATION_BYTES (a whole number of bytes): the tests lower it to reach the worker with a small file. */
export const SYNC_REGISTRATION_BYTES_ENV = "DRIFTWATCH_SYNC_BASELINE_BYTES";

/**
 * Sets a model's next baseline version from a `PUT /v1/models/{id}/baseline` body: reference records,
 * a window of the model's own logged traffic, or an uploaded file (a multipart upload completed first,
 * from the parts the client lists). The summary is stored before the version is recorded, so a
 * version never points at missing data. An upload larger than SYNC_REGISTRATION_BYTES is queued
 * for the register-baseline worker instead: the answer then says it is registering, and
 * `baselineUploadStatus` tells when it is done.
 *
 * @throws ValidationProblem naming the bad field, record or line; nothing is stored then
 */
export async function setBaseline(
  modelId: string,
  body: unknown,
  createdBy: string,
  now: Date,
): Promise<BaselineVersion | BaselineRegistrationAccepted> {
  const request = parseOrReject(baselineRequestSchema, body, "Invalid baseline request");
  if ("records" in request) {
    const builder = new RecordSummaryBuilder();
    for (const record of validatePredictions({ records: request.records }, now).records) builder.add(record);
    return saveBaseline(modelId, builder.finish(), { type: "records" }, createdBy, now);
  }
  if ("window" in request) {
    const summary = await summarizePlan(
      await planCheck({ modelId, window: request.window, trigger: "manual" }),
    );
    if (summary.rows === 0) {
      throw new ValidationProblem("The window holds no logged records; nothing was stored", [
        { path: "window", message: `no records of model "${modelId}" were received in it` },
      ]);
    }
    return saveBaseline(modelId, summary, { type: "window", ...request.window }, createdBy, now);
  }
  // Registering an upload twice (a client retrying after a lost answer) answers with its version.
  const { id } = request.upload;
  const registered = await registeredVersion(modelId, id);
  if (registered) return registered;
  const key = uploadKey(modelId, id);
  if (request.upload.parts) await completeUpload(key, request.upload);
  const bytes = await objectSize(key);
  if (bytes === undefined) throw missingUpload(id);
  if (bytes <= syncRegistrationBytes()) return storeUpload(modelId, id, createdBy, now);
  return queueRegistration({ modelId, uploadId: id, createdBy, requestedAt: now.toISOString() });
}

/** What became of a queued registration: the version stored, or the refusal that makes it final. */
export type QueuedRegistrationOutcome =
  | { status: "registered"; version: BaselineVersion }
  | { status: "failed"; error: { detail: string; errors: FieldError[] } };

/**
 * The register-baseline worker's job: the registration `setBaseline` queued, with the same checks.
 * Idempotent by upload id: a redelivered message of a registered upload answers with its version.
 * Bad input (bad lines, a missing upload) is final: the status says failed, with the problem's
 * detail and errors. Any other fault is thrown, for the queue to redeliver; on the last attempt
 * the status says failed as well, since the message goes to the dead-letter queue then.
 */
export async function registerQueuedUpload(
  message: BaselineRegistrationMessage,
  { now, finalAttempt }: { now: Date; finalAttempt: boolean },
): Promise<QueuedRegistrationOutcome> {
  const { modelId, uploadId, createdBy, requestedAt } = message;
  const fail = async (error: { detail: string; errors: FieldError[] }) => {
    await writeUploadStatus(modelId, uploadId, {
      status: "failed",
      error,
      requestedAt,
      updatedAt: now.toISOString(),
    });
    return { status: "failed", error } as const;
  };
  try {
    const version =
      (await registeredVersion(modelId, uploadId)) ?? (await storeUpload(modelId, uploadId, createdBy, now));
    await deleteUploadStatus(modelId, uploadId);
    return { status: "registered", version };
  } catch (error) {
    if (error instanceof HttpProblem && error.status < 500) {
      return fail({ detail: error.detail, errors: error.errors ?? [] });
    }
    if (finalAttempt) {
      await fail({
        detail: `The registration failed ${baselineRegistrationQueue.maxReceiveCount} times; nothing was stored`,
        errors: [{ path: "upload", message: (error as Error).message }],
      });
    }
    throw error;
  }
}

/**
 * Where the registration of an upload stands: registered (a version was made from it), registering
 * (queued or running), or failed, with why.
 *
 * @throws NotFoundProblem when no registration of the upload was ever asked for, or it expired
 */
export async function baselineUploadStatus(modelId: string, uploadId: string): Promise<BaselineUploadStatus> {
  const registered = async () => {
    const version = await registeredVersion(modelId, uploadId);
    return (
      version && { uploadId, status: "registered" as const, version: version.version, rows: version.rows }
    );
  };
  const before = await registered();
  if (before) return before;
  const record = await readUploadStatus(modelId, uploadId);
  if (record) return { uploadId, status: record.status, ...(record.error ? { error: record.error } : {}) };
  // The worker stores the version, then removes the status: it may have finished between the two reads.
  const after = await registered();
  if (after) return after;
  throw new NotFoundProblem(
    `No registration of upload "${uploadId}": register it with PUT .../baseline {upload: {id}} (a queued registration's status is kept for a day)`,
  );
}

/** Sync or async: SYNC_REGISTRATION_BYTES, or a whole number of bytes from the environment. */
function syncRegistrationBytes(): number {
  const configured = Number(process.env[SYNC_REGISTRATION_BYTES_ENV]);
  return Number.isInteger(configured) && configured >= 0 ? configured : SYNC_REGISTRATION_BYTES;
}

/**
 * Hands an upload too large to register within the API call to the register-baseline worker. The
 * status is written before the message is sent, so the worker's verdict always comes after it; a
 * retried request finds the registration already queued and queues no second one (and two workers
 * registering the same upload at once store one version: see saveBaseline).
 */
async function queueRegistration(
  message: BaselineRegistrationMessage,
): Promise<BaselineRegistrationAccepted> {
  const { modelId, uploadId, requestedAt } = message;
  const accepted = { status: "registering", uploadId } as const;
  if ((await readUploadStatus(modelId, uploadId))?.status === "registering") return accepted;
  await writeUploadStatus(modelId, uploadId, { status: "registering", requestedAt, updatedAt: requestedAt });
  try {
    await sqsClient().send(
      new SendMessageCommand({
        QueueUrl: requiredEnv(baselineRegistrationQueue.envVar),
        MessageBody: JSON.stringify(message),
      }),
    );
  } catch (error) {
    // Not queued after all: a retried request must queue it, not find it "registering".
    await deleteUploadStatus(modelId, uploadId).catch(() => undefined);
    throw error;
  }
  return accepted;
}

/** The version made from this upload, if one was. */
async function registeredVersion(modelId: string, uploadId: string): Promise<BaselineVersion | undefined> {
  return (await listBaselines(modelId)).find(
    (version) => version.source.type === "upload" && version.source.uploadId === uploadId,
  );
}

/**
 * Checks and summarises the uploaded records, stores them as the next version and deletes the upload.
 *
 * @throws NotFoundProblem when there is no such upload; ValidationProblem for bad records
 */
async function storeUpload(
  modelId: string,
  uploadId: string,
  createdBy: string,
  now: Date,
): Promise<BaselineVersion> {
  const key = uploadKey(modelId, uploadId);
  if (!(await objectExists(key))) throw missingUpload(uploadId);
  const summary = await summarizeUpload(key);
  const version = await saveBaseline(modelId, summary, { type: "upload", uploadId }, createdBy, now);
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  return version;
}

/** Streams the uploaded records into a summary, every line checked as a Record; bad lines are refused together. */
async function summarizeUpload(key: string): Promise<DatasetSummary> {
  const builder = new RecordSummaryBuilder();
  const errors: FieldError[] = [];
  let line = 0;
  try {
    for await (const value of readNdjsonObject(key)) {
      line++;
      const parsed = predictionRecordSchema.safeParse(value);
      if (parsed.success) builder.add(parsed.data);
      else if (errors.length < MAX_REPORTED_LINES)
        errors.push(...lineErrors(line, fieldErrors(parsed.error)));
    }
  } catch (error) {
    throw new ValidationProblem("The upload is not gzip NDJSON; nothing was stored", [
      { path: "upload", message: (error as Error).message },
    ]);
  }
  if (errors.length > 0) throw new ValidationProblem("Bad records in the upload; nothing was stored", errors);
  if (line === 0)
    throw new ValidationProblem("The upload is empty; nothing was stored", [
      { path: "upload", message: "no records" },
    ]);
  return builder.finish();
}

function missingUpload(id: string): NotFoundProblem {
  return new NotFoundProblem(
    `No upload "${id}": PUT the file to the URL from POST .../baseline/uploads first`,
  );
}

/** `line 17: features.age`, the way an editor would find it. */
function lineErrors(line: number, errors: readonly FieldError[]): FieldError[] {
  return errors.map(({ path, message }) => ({
    path: path === "(body)" ? `line ${line}` : `line ${line}: ${path}`,
    message,
  }));
}
