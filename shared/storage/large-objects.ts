import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { mapWithConcurrency } from "#shared/util/concurrency";

/**
 * Binary objects of up to gigabytes (baseline summaries, a check's partial results) move in 8 MB parts,
 * 8 at a time, both ways: one request per object would be as slow as one connection is, and larger
 * than what emulators accept in one body.
 */
const PART_BYTES = 8 * 1024 * 1024;
const PARALLEL_PARTS = 8;

/** Stores `body` under `key` in the data bucket by a multipart upload in parallel parts. */
export async function putLargeObject(key: string, body: Uint8Array): Promise<void> {
  await new Upload({
    client: s3Client(),
    params: { Bucket: bucketName(dataBucket), Key: key, Body: body, ContentType: "application/octet-stream" },
    partSize: PART_BYTES,
    queueSize: PARALLEL_PARTS,
  }).done();
}

/** The object under `key`, read in parallel byte ranges; `bytes` saves a HEAD when the size is known. */
export async function getLargeObject(key: string, bytes?: number): Promise<Uint8Array> {
  const bucket = bucketName(dataBucket);
  const size =
    bytes ?? (await s3Client().send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  const body = new Uint8Array(size);
  const starts = Array.from({ length: Math.ceil(size / PART_BYTES) }, (_, i) => i * PART_BYTES);
  await mapWithConcurrency(starts, PARALLEL_PARTS, async (start) => {
    const end = Math.min(start + PART_BYTES, size) - 1;
    const { Body } = await s3Client().send(
      new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end}` }),
    );
    body.set(await (Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(), start);
  });
  return body;
}
