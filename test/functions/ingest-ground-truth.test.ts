import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { predictionItems, uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

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
  });
});
