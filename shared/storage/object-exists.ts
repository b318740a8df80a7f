import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";

/**
 * Whether an object exists in the data bucket, by listing its exact key. Not HeadObject: S3 answers
 * a HeadObject of a missing key with 403 rather than 404 unless the caller may list the whole bucket,
 * and the functions may list only their own prefixes (an `s3:prefix`-conditioned ListBucket).
 */
export async function objectExists(key: string): Promise<boolean> {
  return (await objectSize(key)) !== undefined;
}

/** The size in bytes of an object of the data bucket, listed as `objectExists` lists it; undefined when there is none. */
export async function objectSize(key: string): Promise<number | undefined> {
  const { Contents } = await s3Client().send(
    new ListObjectsV2Command({ Bucket: bucketName(dataBucket), Prefix: key, MaxKeys: 1 }),
  );
  const listed = Contents?.[0];
  return listed?.Key === key ? (listed.Size ?? 0) : undefined;
}
