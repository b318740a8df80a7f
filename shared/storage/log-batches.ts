import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import type { CheckWindow } from "#shared/schemas/check-window";
import { hourPartitionsBetween, receivedAtOfLogKey } from "./log-keys.ts";

/** One stored object of a window, and its size, which the fan-out balances its groups by. */
export interface BatchObject {
  key: string;
  size: number;
}

/**
 * The objects under `prefix` (a model's `logs/` or `labels/`) received in the window, oldest partition
 * first: one paginated listing per hour partition the window touches, each key kept when the receipt
 * time its batch id carries (else the object's own date) lies in [from, to).
 */
export async function listWindowObjects(prefix: string, window: CheckWindow): Promise<BatchObject[]> {
  const from = new Date(window.from);
  const to = new Date(window.to);
  const objects: BatchObject[] = [];
  for (const partition of hourPartitionsBetween(from, to)) {
    let continuationToken: string | undefined;
    do {
      const page = await s3Client().send(
        new ListObjectsV2Command({
          Bucket: bucketName(dataBucket),
          Prefix: `${prefix}${partition}`,
          ContinuationToken: continuationToken,
        }),
      );
      for (const object of page.Contents ?? []) {
        const receivedAt = receivedAtOfLogKey(object.Key as string) ?? object.LastModified;
        if (receivedAt && receivedAt >= from && receivedAt < to) {
          objects.push({ key: object.Key as string, size: object.Size ?? 0 });
        }
      }
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken);
  }
  return objects;
}

/**
 * The JSON lines of a gzip NDJSON object, parsed one at a time as the object streams in: an upload of
 * any size is read in constant memory.
 *
 * @throws SyntaxError naming the key and line of a line that is not JSON
 */
export async function* readNdjsonObject(key: string): AsyncGenerator<unknown> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  const body = Body as Readable;
  const unzipped = body.pipe(createGunzip());
  body.on("error", (error) => unzipped.destroy(error));
  const lines = createInterface({ input: unzipped, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text === "") continue;
    try {
      yield JSON.parse(text);
    } catch (error) {
      throw new SyntaxError(`${key}, line ${line}: ${(error as Error).message}`);
    }
  }
}
