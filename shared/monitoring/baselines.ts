import { randomUUID } from "node:crypto";
import { DeleteObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { s3Client, s3PresignerClient } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { type FieldError, NotFoundProblem, ValidationProblem } from "#shared/http/problem";
import { fieldErrors, parseOrReject } from "#shared/http/validation";
import { validatePredictions } from "#shared/ingest/validate-predictions";
import { type BaselineVersion, baselineRequestSchema } from "#shared/schemas/baseline";
import { predictionRecordSchema } from "#shared/schemas/prediction-record";
import { listBaselines, saveBaseline } from "#shared/storage/baseline-store";
import { readNdjsonObject } from "#shared/storage/log-batches";
import { objectExists } from "#shared/storage/object-exists";
import type { DatasetSummary } from "./dataset-summary.ts";
import { RecordSummaryBuilder } from "./record-summary.ts";
import { planCheck, summarizePlan } from "./run-check.ts";

/** How long an upload URL stays valid. */
const UPLOAD_URL_SECONDS = 3600;
/** A bad upload reports this many bad lines at most, so the answer stays readable. */
const MAX_REPORTED_LINES = 20;

/**
 * Sets a model's next baseline version from a `PUT /v1/models/{id}/baseline` body: reference records,
 * a window of the model's own logged traffic, or an uploaded file. The summary is stored before the
 * version is recorded, so a version never points at missing data.
 *
 * @throws ValidationProblem naming the bad field, record or line; nothing is stored then
 */
export async function setBaseline(
  modelId: string,
  body: unknown,
  createdBy: string,
  now: Date,
): Promise<BaselineVersion> {
  const request = parseOrReject(baselineRequestSchema, body, "Invalid baseline request");
  if ("records" in request) {
    const builder = new RecordSummaryBuilder();
    for (const record of validatePredictions({ records: request.records }, now)) builder.add(record);
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
  const registered = (await listBaselines(modelId)).find(
    (version) => version.source.type === "upload" && version.source.uploadId === request.upload.id,
  );
  if (registered) return registered;
  const key = uploadKey(modelId, request.upload.id);
  await requireUpload(key, request.upload.id);
  const summary = await summarizeUpload(key);
  const version = await saveBaseline(
    modelId,
    summary,
    { type: "upload", uploadId: request.upload.id },
    createdBy,
    now,
  );
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  return version;
}

/**
 * A pre-signed URL a client PUTs a gzip NDJSON file of reference records to (up to S3's 5 GB for one
 * PUT), then registers with `PUT /v1/models/{id}/baseline` `{upload: {id}}`: a reference set of any
 * size never passes through API Gateway's 10 MB or Lambda's 6 MB payload limits.
 */
export async function createBaselineUpload(modelId: string, now: Date) {
  const id = randomUUID();
  const url = await getSignedUrl(
    s3PresignerClient(),
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: uploadKey(modelId, id),
      ContentType: "application/gzip",
    }),
    { expiresIn: UPLOAD_URL_SECONDS },
  );
  return {
    uploadId: id,
    url,
    method: "PUT" as const,
    headers: { "content-type": "application/gzip" },
    expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
  };
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

async function requireUpload(key: string, id: string): Promise<void> {
  if (!(await objectExists(key))) {
    throw new NotFoundProblem(
      `No upload "${id}": PUT the file to the URL from POST .../baseline/uploads first`,
    );
  }
}

/** `line 17: features.age`, the way an editor would find it. */
function lineErrors(line: number, errors: readonly FieldError[]): FieldError[] {
  return errors.map(({ path, message }) => ({
    path: path === "(body)" ? `line ${line}` : `line ${line}: ${path}`,
    message,
  }));
}

function uploadKey(modelId: string, id: string): string {
  return `${dataBucket.uploadsPrefix}model=${modelId}/${id}.ndjson.gz`;
}
