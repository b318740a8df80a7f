import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";

/** `distributions` (an addition to the contract) holds the histograms the dashboard draws. */
export type ReportKind = "drift" | "performance" | "distributions";

/** `reports/model=<id>/<kind>/<ISO time>.json` (CONTRACT §3), named after the end of the window. */
export function reportKey(modelId: string, kind: ReportKind, windowEnd: string, suffix = ""): string {
  return `${dataBucket.reportsPrefix}model=${modelId}/${kind}/${windowEnd}${suffix}.json`;
}

export async function writeReport(key: string, report: unknown): Promise<void> {
  await s3Client().send(
    new PutObjectCommand({
      Bucket: bucketName(dataBucket),
      Key: key,
      Body: JSON.stringify(report),
      ContentType: "application/json",
    }),
  );
}

export async function readReport(key: string): Promise<unknown> {
  const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucketName(dataBucket), Key: key }));
  return JSON.parse(await (Body as { transformToString(): Promise<string> }).transformToString());
}
