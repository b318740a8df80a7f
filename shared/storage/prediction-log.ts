import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import type { StoredRecord } from "#shared/schemas/prediction-record";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const toNdjson = (records: readonly StoredRecord[]): string =>
  records.map((record) => `${JSON.stringify(record)}\n`).join("");

/** Stores one accepted request's records as one gzip NDJSON object. */
export async function writeLogObject(key: string, records: readonly StoredRecord[]): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: key,
      Body: await gzipAsync(toNdjson(records)),
      ContentType: "application/gzip",
    }),
  );
}

export async function deleteLogObject(key: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
}

export async function readLogObject(key: string): Promise<StoredRecord[]> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  const text = (
    await gunzipAsync(await (Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray())
  ).toString("utf8");
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as StoredRecord);
}
