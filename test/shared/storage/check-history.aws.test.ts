import { beforeAll, describe, expect, inject, it } from "vitest";
import { saveCheck, trailingCounts } from "#shared/storage/check-history";
import { sampleCheck } from "../../support/check-results.ts";
import { uniqueModelId } from "../../support/stored-data.ts";

beforeAll(() => {
  Object.assign(process.env, inject("awsEnvironment"));
});

const hour = (h: number) => `2026-12-01T${String(h).padStart(2, "0")}:00:00.000Z`;

describe("the volume baseline of the check history", () => {
  it("counts the scheduled checks before the window, oldest first, and leaves manual ones out", async () => {
    const modelId = uniqueModelId("trailing");
    const scheduled = [100, 200, 300];
    for (const [index, rows] of scheduled.entries()) {
      await saveCheck(sampleCheck({ modelId, checkId: `${hour(10 + index)}#scheduled`, rows }));
    }
    // A manual check of any window the user asked for, ending between two scheduled ones.
    await saveCheck(
      sampleCheck({ modelId, checkId: `${hour(12)}#manual-1a2b3c4d`, trigger: "manual", rows: 99_999 }),
    );

    expect(await trailingCounts(modelId, `${hour(13)}#scheduled`, 24)).toEqual([100, 200, 300]);
    expect(await trailingCounts(modelId, `${hour(13)}#scheduled`, 2)).toEqual([200, 300]);
    expect(await trailingCounts(modelId, `${hour(12)}#scheduled`, 24)).toEqual([100, 200]);
  });
});
