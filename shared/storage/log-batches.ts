import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import type { CheckWindow } from "#shared/schemas/check-window";
import { listHourPartitions } from "./hour-partitions.ts";
import { receivedAtOfLogKey } from "./log-keys.ts";

/** One stored object of a window, and its size, which the fan-out balances its groups by. */
export interface BatchObject {
  key: string;
  size: number;
}

/**
 * A model's log objects received in the window, oldest partition first: one ranged listing of the
 * hour partitions the window touches, each key kept when the receipt time its batch id carries (else
 * the object's own date) lies in [from, to).
 */
export async function listWindowObjects(prefix: string, window: CheckWindow): Promise<BatchObject[]> {
  const from = new Date(window.from);
  const to = new Date(window.to);
  return (await listHourPartitions(prefix, from, to)).flatMap(({ object }) => {
    const receivedAt = receivedAtOfLogKey(object.Key as string) ?? object.LastModified;
    return receivedAt && receivedAt >= from && receivedAt < to
      ? [{ key: object.Key as string, size: object.Size ?? 0 }]
      : [];
  });
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
