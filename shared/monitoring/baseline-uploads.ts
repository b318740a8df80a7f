import { randomUUID } from "node:crypto";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { s3Client, s3PresignerClient } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { ValidationProblem } from "#shared/http/problem";
import { parseOrReject } from "#shared/http/validation";
import {
  type BaselineMultipartUpload,
  type BaselineUploadUrl,
  baselineUploadRequestSchema,
  type UploadReference,
} from "#shared/schemas/baseline";
import { objectExists } from "#shared/storage/object-exists";
import { planParts } from "#shared/util/upload-parts";

/*
 * The storage side of baseline uploads: the pre-signed URLs a client uploads a reference file to, and
 * the completion of a multipart upload when it is registered (baselines.ts).
 */

/** How long an upload URL (a part's too) stays valid. */
const UPLOAD_URL_SECONDS = 3600;
const UPLOAD_CONTENT_TYPE = "application/gzip";
/** What S3 answers CompleteMultipartUpload with when the part list does not match the parts uploaded. */
const PART_LIST_ERRORS = new Set(["InvalidPart", "InvalidPartOrder", "EntityTooSmall"]);
/**
 * Where a client uploads a gzip NDJSON file of reference records, to register it then with
 * `PUT /v1/models/{id}/baseline` `{upload: {id, ...}}`: a reference set of any size never passes
 * through API Gateway's 10 MB or Lambda's 6 MB payload limits. Without a body, one pre-signed PUT URL
 * (up to S3's 5 GB for one PUT, 11 MiB on the local emulator); with `{bytes}`, a multipart upload
 * with a pre-signed URL per part.
 *
 * @throws ValidationProblem naming `bytes` when it is not a size from 1 to MAX_UPLOAD_BYTES
 */
export async function createBaselineUpload(
  modelId: string,
  body: unknown,
  now: Date,
): Promise<BaselineUploadUrl | BaselineMultipartUpload> {
  if (body === undefined) return createSingleUpload(modelId, now);
  const { bytes } = parseOrReject(baselineUploadRequestSchema, body, "Invalid upload request");
  return createMultipartUpload(modelId, bytes, now);
}

async function createSingleUpload(modelId: string, now: Date): Promise<BaselineUploadUrl> {
  const id = randomUUID();
  const url = await getSignedUrl(
    s3PresignerClient(),
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: uploadKey(modelId, id),
      ContentType: UPLOAD_CONTENT_TYPE,
    }),
    { expiresIn: UPLOAD_URL_SECONDS },
  );
  return {
    uploadId: id,
    url,
    method: "PUT",
    headers: { "content-type": UPLOAD_CONTENT_TYPE },
    expiresAt: expiry(now),
  };
}

/**
 * Starts a multipart upload under the model's `uploads/` and signs a URL for each of its parts. The
 * parts are signed by the presigner client, without a checksum, so the upload is created without one
 * too: S3 would otherwise want every part's. Left unfinished, the bucket aborts it after a day.
 */
async function createMultipartUpload(
  modelId: string,
  bytes: number,
  now: Date,
): Promise<BaselineMultipartUpload> {
  const { partSize, partCount } = planParts(bytes);
  const id = randomUUID();
  const target = { Bucket: bucketName(dataBucket), Key: uploadKey(modelId, id) };
  const { UploadId } = await s3Client().send(
    new CreateMultipartUploadCommand({ ...target, ContentType: UPLOAD_CONTENT_TYPE }),
  );
  if (!UploadId) throw new Error("CreateMultipartUpload answered without an UploadId");
  const signing = { expiresIn: UPLOAD_URL_SECONDS };
  const parts = await Promise.all(
    Array.from({ length: partCount }, async (_, index) => ({
      partNumber: index + 1,
      url: await getSignedUrl(
        s3PresignerClient(),
        new UploadPartCommand({ ...target, UploadId, PartNumber: index + 1 }),
        signing,
      ),
    })),
  );
  const abortUrl = await getSignedUrl(
    s3PresignerClient(),
    new AbortMultipartUploadCommand({ ...target, UploadId }),
    signing,
  );
  return {
    uploadId: id,
    multipartUploadId: UploadId,
    partSize,
    parts,
    abort: { method: "DELETE", url: abortUrl },
    expiresAt: expiry(now),
  };
}

/**
 * Assembles the uploaded parts into the object under `key`. An earlier attempt at this registration
 * may have completed it and failed afterwards, which leaves the object and no upload in progress.
 *
 * @throws ValidationProblem naming `upload.parts` when the parts do not match those uploaded, or
 *   `upload.multipartUploadId` when no such upload is in progress (aborted, expired, or another)
 */
export async function completeUpload(key: string, upload: UploadReference): Promise<void> {
  if (await objectExists(key)) return;
  try {
    await s3Client().send(
      new CompleteMultipartUploadCommand({
        Bucket: bucketName(dataBucket),
        Key: key,
        UploadId: upload.multipartUploadId,
        MultipartUpload: {
          Parts: upload.parts?.map(({ partNumber, etag }) => ({ PartNumber: partNumber, ETag: etag })),
        },
      }),
    );
  } catch (error) {
    const { name, message } = error as Error;
    if (PART_LIST_ERRORS.has(name)) {
      throw new ValidationProblem("The parts do not match the upload's; nothing was stored", [
        { path: "upload.parts", message: `${name}: ${message}` },
      ]);
    }
    if (name === "NoSuchUpload") {
      // The SDK's retry of a completion whose answer was lost finds the upload gone and the object there.
      if (await objectExists(key)) return;
      throw new ValidationProblem("No such multipart upload in progress; nothing was stored", [
        {
          path: "upload.multipartUploadId",
          message:
            "no upload in progress under this id: aborted, expired (after a day), or not this upload's",
        },
      ]);
    }
    throw error;
  }
}

function expiry(now: Date): string {
  return new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString();
}

/** The key of an upload: the API's own, under the model's `uploads/`, never one a client names. */
export function uploadKey(modelId: string, id: string): string {
  return `${dataBucket.uploadsPrefix}model=${modelId}/${id}.ndjson.gz`;
}
