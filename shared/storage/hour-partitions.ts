import { type _Object, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { hourPartitionsBetween } from "./log-keys.ts";

/** A stored object and the hour partition (`dt=YYYY-MM-DD/hour=HH/`) its key lies in. */
export interface PartitionedObject {
  object: _Object;
  partition: string;
}

/**
 * The objects under `prefix` in the hour partitions that hold times in [from, to), oldest partition
 * first. Keys sort by partition, so one listing that starts after the first partition and stops past
 * the last reads the whole range: a request per 1,000 objects, however many of the hours are empty,
 * where listing each hour would take a request per hour (888 for 37 days).
 */
export async function listHourPartitions(prefix: string, from: Date, to: Date): Promise<PartitionedObject[]> {
  const partitions = hourPartitionsBetween(from, to);
  const first = partitions[0];
  const last = partitions.at(-1);
  if (first === undefined || last === undefined) return [];
  const objects: PartitionedObject[] = [];
  let continuationToken: string | undefined;
  let pastTheEnd = false;
  do {
    const page = await s3Client().send(
      new ListObjectsV2Command({
        Bucket: bucketName(dataBucket),
        Prefix: prefix,
        // Every key of the first partition sorts after the partition's own prefix.
        ...(continuationToken
          ? { ContinuationToken: continuationToken }
          : { StartAfter: `${prefix}${first}` }),
      }),
    );
    for (const object of page.Contents ?? []) {
      const partition = partitionOf((object.Key as string).slice(prefix.length));
      if (partition > last) {
        pastTheEnd = true;
        break;
      }
      objects.push({ object, partition });
    }
    continuationToken = page.IsTruncated && !pastTheEnd ? page.NextContinuationToken : undefined;
  } while (continuationToken);
  return objects;
}

/** `dt=2026-12-01/hour=13/` of `dt=2026-12-01/hour=13/<batch id>...`. */
function partitionOf(rest: string): string {
  const hourEnd = rest.indexOf("/", rest.indexOf("/") + 1);
  return rest.slice(0, hourEnd + 1);
}
