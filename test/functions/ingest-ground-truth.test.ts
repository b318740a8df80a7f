import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { beforeEach, describe, expect, it } from "vitest";
import { s3Client } from "#shared/aws/clients";
import { dataBucket } from "#shared/aws/resources";
import { bucketName } from "#shared/config/environment";
import { savePredictions, toPredictionItem } from "#shared/storage/prediction-index";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { predictionItems, uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

/** The label objects stored for the model, by key, each as its parsed lines. */
async function labelObjects(modelId: string): Promise<Map<string, Record<string, unknown>[]>> {
  const bucket = bucketName(dataBucket);
  const { Contents } = await s3Client().send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `labels/model=${modelId}/` }),
  );
  const objects = new Map<string, Record<string, unknown>[]>();
  for (const { Key } of Contents ?? []) {
    const { Body } = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key }));
    const text = gunzipSync(
      await (Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    objects.set(
      Key as string,
      text
        .toString("utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line)),
    );
  }
  return objects;
}

/** `dt=YYYY-MM-DD/hour=HH/` of an instant, written out here from the documented layout. */
const partitionOf = (iso: string) => `dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/`;

let modelId: string;
beforeEach(async () => {
  modelId = uniqueModelId("labels");
  await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body: { task: "classification" } });
  await call("POST", `/v1/models/${modelId}/predictions`, {
    token: ADMIN_TOKEN,
    body: { records: [sampleRecord(1), sampleRecord(2)] },
  });
});

const label = (labels: unknown) =>
  call("POST", `/v1/models/${modelId}/ground-truth`, { token: ADMIN_TOKEN, body: { labels } });

describe("POST /v1/models/{id}/ground-truth", () => {
  it("joins labels to stored predictions by id and reports the unmatched ids", async () => {
    const answer = await label([
      { id: "rec-1", label: 1 },
      { id: "rec-404", label: 0 },
    ]);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ accepted: 1, unmatched: ["rec-404"] });
    const items = await predictionItems(modelId);
    expect(items.find((item) => item.id === "rec-1")).toMatchObject({ label: 1, prediction: 1 });
    expect(items.find((item) => item.id === "rec-2")?.label).toBeUndefined();
  });

  it("writes the labels to S3 under the hour partition of their predictions' receipt, with what a check needs", async () => {
    const before = Date.now();
    const answer = await label([
      { id: "rec-1", label: 0 },
      { id: "rec-2", label: 1 },
    ]);
    expect(answer.status).toBe(202);
    const items = await predictionItems(modelId);
    const receivedAt = items.find((item) => item.id === "rec-1")?.receivedAt as string;
    const objects = await labelObjects(modelId);
    expect(objects.size).toBe(1);
    const [[key, lines]] = [...objects] as [[string, Record<string, unknown>[]]];
    expect(key).toMatch(
      new RegExp(
        `^labels/model=${modelId}/${partitionOf(receivedAt)}\\d{8}T\\d{9}Z-[0-9a-f-]{36}\\.ndjson\\.gz$`,
      ),
    );
    const labeledAt = lines[0]?.labeledAt as string;
    expect(Date.parse(labeledAt)).toBeGreaterThanOrEqual(before - 1);
    expect(key).toContain(`/${labeledAt.replace(/[-:.]/g, "")}-`);
    expect(lines).toEqual([
      { id: "rec-1", label: 0, prediction: 1, probabilities: { "0": 0.4, "1": 0.6 }, receivedAt, labeledAt },
      {
        id: "rec-2",
        label: 1,
        prediction: 0,
        probabilities: { "0": 0.4, "1": 0.6 },
        receivedAt: items.find((item) => item.id === "rec-2")?.receivedAt,
        labeledAt,
      },
    ]);
  });

  it("writes one label object per hour of the predictions' receipt, however late the labels come", async () => {
    // Predictions received days ago, stored as the ingest would have stored them then.
    const old = ["2026-11-20T09:15:00.000Z", "2026-11-20T09:45:00.000Z", "2026-11-22T17:05:00.000Z"];
    await savePredictions(
      old.map((receivedAt, i) =>
        toPredictionItem(
          modelId,
          { id: `old-${i}`, timestamp: receivedAt, features: { x: i }, prediction: i % 2 },
          "logs/gone.ndjson.gz",
          new Date(receivedAt),
          90,
        ),
      ),
    );
    const answer = await label(old.map((_, i) => ({ id: `old-${i}`, label: i })));
    expect(answer.body).toEqual({ accepted: 3, unmatched: [] });
    const partitions = [...(await labelObjects(modelId))].map(([key, lines]) => ({
      partition: key.split("/").slice(2, 4).join("/"),
      ids: lines.map((line) => line.id),
    }));
    expect(partitions.sort((a, b) => (a.partition < b.partition ? -1 : 1))).toEqual([
      { partition: "dt=2026-11-20/hour=09", ids: ["old-0", "old-1"] },
      { partition: "dt=2026-11-22/hour=17", ids: ["old-2"] },
    ]);
  });

  it("writes no label object when no id matches", async () => {
    const answer = await label([{ id: "rec-404", label: 1 }]);
    expect(answer.body).toEqual({ accepted: 0, unmatched: ["rec-404"] });
    expect((await labelObjects(modelId)).size).toBe(0);
  });

  it("overwrites a label re-sent with a new value", async () => {
    await label([{ id: "rec-2", label: "a" }]);
    await label([{ id: "rec-2", label: "b" }]);
    expect((await predictionItems(modelId)).find((item) => item.id === "rec-2")?.label).toBe("b");
  });

  it.each([
    ["no labels", [], "labels"],
    ["a label without id", [{ label: 1 }], "labels[0].id"],
    ["an object label", [{ id: "rec-1", label: { x: 1 } }], "labels[0].label"],
    [
      "duplicate ids",
      [
        { id: "rec-1", label: 1 },
        { id: "rec-1", label: 0 },
      ],
      "labels[1].id",
    ],
  ])("rejects %s with 400, changing nothing", async (_, labels, path) => {
    const answer = await label(labels);
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect((await predictionItems(modelId)).every((item) => item.label === undefined)).toBe(true);
    expect((await labelObjects(modelId)).size).toBe(0);
  });
});
