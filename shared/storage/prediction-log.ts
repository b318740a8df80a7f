import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import type { StoredRecord } from "#shared/schemas/prediction-record";
import { readGzipNdjson, writeGzipNdjson } from "./gzip-ndjson.ts";

/** Stores one accepted request's records as one gzip NDJSON object. */
export async function writeLogObject(key: string, records: readonly StoredRecord[]): Promise<void> {
  await writeGzipNdjson(key, records);
}

export async function deleteLogObject(key: string): Promise<void> {
  await s3Client().send(new DeleteObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
}

/**
 * The records of one log object, each parsed when the loop reaches it, so that a summariser holds one
 * record at a time. Not validated again: ingest stored only records that passed validation.
 */
export async function readLogObject(key: string): Promise<Iterable<StoredRecord>> {
  return readGzipNdjson<StoredRecord>(key);
}
