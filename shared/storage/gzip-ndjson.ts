import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The object format of raw logs and label batches (CONTRACT §3): gzip NDJSON, one JSON value per
 * line. Both are small (one ingest request each), so they are read and written whole.
 */
export async function writeGzipNdjson(key: string, values: readonly unknown[]): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: key,
      Body: await gzipAsync(values.map((value) => `${JSON.stringify(value)}\n`).join("")),
      ContentType: "application/gzip",
    }),
  );
}

/** Every line of a gzip NDJSON object, parsed; the caller knows what it wrote there. */
export async function readGzipNdjson<T>(key: string): Promise<T[]> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  const text = (
    await gunzipAsync(await (Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())
  ).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as T);
}
