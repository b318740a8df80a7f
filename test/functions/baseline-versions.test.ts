import { describe, expect, it } from "vitest";
import { RecordSummaryBuilder } from "#shared/monitoring/record-summary";
import { listBaselines, saveBaseline } from "#shared/storage/baseline-store";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

function summary(rows: number) {
  const builder = new RecordSummaryBuilder();
  for (let i = 0; i < rows; i++) builder.add({ features: { x: i }, prediction: i % 2 });
  return builder.finish();
}

async function model(): Promise<string> {
  const modelId = uniqueModelId("versions");
  await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body: { task: "classification" } });
  return modelId;
}

describe("baseline versions under concurrent registrations", () => {
  it("number concurrent baselines from records consecutively, losing none", async () => {
    const modelId = await model();
    const saved = await Promise.all(
      [1, 2, 3].map((rows) => saveBaseline(modelId, summary(rows), { type: "records" }, "admin", new Date())),
    );
    expect(saved.map((version) => version.version).sort()).toEqual([1, 2, 3]);
    expect(await listBaselines(modelId)).toHaveLength(3);
  });

  it("make one upload one version however many registrations race, each answering with it", async () => {
    const modelId = await model();
    const source = { type: "upload", uploadId: "6f1c1f2e-0d3b-4a53-9a0e-2a4d7b1c9e01" } as const;
    const saved = await Promise.all(
      [1, 2, 3].map(() => saveBaseline(modelId, summary(10), source, "admin", new Date())),
    );
    expect(new Set(saved.map((version) => version.version))).toEqual(new Set([1]));
    expect(await listBaselines(modelId)).toHaveLength(1);
  });

  it("let only one check take the first window as the baseline", async () => {
    const modelId = await model();
    const source = {
      type: "first-window",
      from: "2026-12-01T12:00:00.000Z",
      to: "2026-12-01T13:00:00.000Z",
    } as const;
    await Promise.all([1, 2].map(() => saveBaseline(modelId, summary(10), source, "scheduler", new Date())));
    expect(await listBaselines(modelId)).toHaveLength(1);
  });
});
