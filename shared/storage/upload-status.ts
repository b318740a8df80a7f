import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { type UploadStatusRecord, uploadStatusRecordSchema } from "#shared/schemas/baseline";
import { objectExists } from "./object-exists.ts";

/**
 * The status of an asynchronous registration, as an object next to the upload it is about: under
 * `uploads/`, so it needs no grant the upload does not, and the bucket's rule for abandoned uploads
 * expires it after a day too. Once the version is stored the version answers, and the record goes.
 */
export function uploadStatusKey(modelId: string, uploadId: string): string {
  return `${dataBucket.uploadsPrefix}model=${modelId}/${uploadId}.status.json`;
}

export async function writeUploadStatus(
  modelId: string,
  uploadId: string,
  status: UploadStatusRecord,
): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: uploadStatusKey(modelId, uploadId),
      Body: JSON.stringify(uploadStatusRecordSchema.parse(status)),
      ContentType: "application/json",
    }),
  );
}

/** The status record of an upload, if a registration of it was queued (found by listing: see objectExists). */
export async function readUploadStatus(
  modelId: string,
  uploadId: string,
): Promise<UploadStatusRecord | undefined> {
  const key = uploadStatusKey(modelId, uploadId);
  if (!(await objectExists(key))) return undefined;
  try {
    const { Body } = await s3Client().send(
      new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }),
    );
    const text = await (Body as { transformToString(): Promise<string> }).transformToString();
    return uploadStatusRecordSchema.parse(JSON.parse(text));
  } catch (error) {
    // Removed between the listing and the read: the registration has just finished.
    if ((error as Error).name === "NoSuchKey") return undefined;
    throw error;
  }
}

export async function deleteUploadStatus(modelId: string, uploadId: string): Promise<void> {
  await s3Client().send(
    new DeleteObjectCommand({ Bucket: bucketName(dataBucket), Key: uploadStatusKey(modelId, uploadId) }),
  );
}
