import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { ndjsonObjects } from "#shared/readers/ndjson-objects";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * The largest output buffer sized from a gzip trailer: an ingest request's object is at most a few
 * megabytes, so a larger size means a damaged trailer, and the object is inflated in pieces instead.
 */
const MAX_GUNZIP_CHUNK_BYTES = 64 * 1024 * 1024;
/** zlib's smallest output buffer. */
const MIN_GUNZIP_CHUNK_BYTES = 64;

/**
 * The object format of raw logs and label batches (CONTRACT §3): gzip NDJSON, one JSON object per
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

/**
 * The lines of a gzip NDJSON object, each parsed when the loop reaches it; the caller knows what it
 * wrote there.
 *
 * @throws Error naming the key when the object is not valid gzip; SyntaxError naming the key and line of a
 *   line that is not a JSON object (while iterating)
 */
export async function readGzipNdjson<T>(key: string): Promise<Iterable<T>> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  const compressed = await (Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  let bytes: Buffer;
  try {
    // One output buffer of the object's size: zlib's default of 16 KiB pieces cost a check more
    // (a call, a buffer and a copy each, 35 for a typical 0.5 MB object) than the inflating itself.
    bytes = await gunzipAsync(compressed, { chunkSize: outputChunkBytes(compressed) });
  } catch (error) {
    throw new Error(`${key} is not valid gzip: ${(error as Error).message}`, { cause: error });
  }
  return ndjsonObjects(bytes, key) as Iterable<T>;
}

/**
 * The uncompressed size a gzip member records in its last 4 bytes (RFC 1952, ISIZE), plus one byte: an
 * output buffer filled exactly would make zlib allocate another one just to find the end.
 */
function outputChunkBytes(compressed: Uint8Array): number {
  if (compressed.byteLength < 4) return MIN_GUNZIP_CHUNK_BYTES;
  const view = new DataView(compressed.buffer, compressed.byteOffset + compressed.byteLength - 4, 4);
  const size = view.getUint32(0, true) + 1;
  return Math.min(Math.max(size, MIN_GUNZIP_CHUNK_BYTES), MAX_GUNZIP_CHUNK_BYTES);
}
