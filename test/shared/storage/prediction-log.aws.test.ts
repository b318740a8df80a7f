import { gzipSync } from "node:zlib";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { summarizeGroup } from "#shared/monitoring/run-check";
import type { StoredRecord } from "#shared/schemas/prediction-record";
import { batchIdAt, logObjectKey } from "#shared/storage/log-keys";
import { readLogObject, writeLogObject } from "#shared/storage/prediction-log";
import { uniqueModelId } from "../../support/stored-data.ts";

beforeAll(() => {
  Object.assign(process.env, inject("awsEnvironment"));
});

const receivedAt = new Date("2026-12-01T13:20:00.000Z");

function record(i: number): StoredRecord {
  return {
    id: `r-${i}`,
    timestamp: receivedAt.toISOString(),
    features: { x: i / 7, plan: i % 3 === 0 ? "pro" : "free", note: "ünïcode 🙂" },
    prediction: i % 2 === 0 ? "yes" : "no",
    latencyMs: 10 + i,
  };
}

async function putObject(body: Uint8Array): Promise<string> {
  const key = logObjectKey(uniqueModelId("log"), receivedAt, batchIdAt(receivedAt, "raw"));
  await s3Client().send(new PutObjectCommand({ Bucket: bucketName(dataBucket), Key: key, Body: body }));
  return key;
}

const ndjson = (lines: readonly unknown[]) => lines.map((line) => `${JSON.stringify(line)}\n`).join("");

describe("reading a log object", () => {
  it("gives back every record as written, however large the object", async () => {
    const records = Array.from({ length: 1000 }, (_, i) => record(i));
    const key = logObjectKey(uniqueModelId("log"), receivedAt, batchIdAt(receivedAt, "whole"));
    await writeLogObject(key, records);
    expect([...(await readLogObject(key))]).toEqual(records);
  });

  it("reads an object of two gzip members, whose trailer records only the last one's size", async () => {
    const first = Array.from({ length: 300 }, (_, i) => record(i));
    const second = [record(300)];
    const key = await putObject(Buffer.concat([gzipSync(ndjson(first)), gzipSync(ndjson(second))]));
    expect([...(await readLogObject(key))]).toEqual([...first, ...second]);
  });

  it("names the key of an object that is not gzip", async () => {
    const key = await putObject(Buffer.from(ndjson([record(0)])));
    await expect(readLogObject(key)).rejects.toThrow(`${key} is not valid gzip`);
  });

  it("names the key and line of a line that is not a JSON object", async () => {
    const key = await putObject(gzipSync(`${ndjson([record(0)])}{"id":"r-1",\n`));
    await expect(readAll(key)).rejects.toThrow(`${key}, line 2: `);
  });
});

describe("summarising a group of log objects", () => {
  it("fails on a corrupt object, naming it and the bad line, instead of summarising around it", async () => {
    const good = logObjectKey(uniqueModelId("log"), receivedAt, batchIdAt(receivedAt, "good"));
    await writeLogObject(good, [record(0), record(1)]);
    const bad = await putObject(gzipSync(`${ndjson([record(2)])}null\n`));
    await expect(summarizeGroup([good, bad])).rejects.toThrow(`${bad}, line 2: not a JSON object`);
  });
});

/** Reading is lazy: a bad line throws while the records are iterated. */
async function readAll(key: string): Promise<StoredRecord[]> {
  return [...(await readLogObject(key))];
}
