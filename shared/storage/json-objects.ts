import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";

/** Writes a value as a JSON object of the data bucket (reports, a check's scratch items). */
export async function putJsonObject(key: string, value: unknown): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: key,
      Body: JSON.stringify(value),
      ContentType: "application/json",
    }),
  );
}

/** Reads a JSON object of the data bucket; the caller parses it with its schema. */
export async function getJsonObject(key: string): Promise<unknown> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  return JSON.parse(await (Body as { transformToString(): Promise<string> }).transformToString());
}
