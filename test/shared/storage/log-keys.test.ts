import { describe, expect, it } from "vitest";
import { logObjectKey } from "#shared/storage/log-keys";

describe("logObjectKey", () => {
  it("partitions by model, UTC day and hour, Hive style", () => {
    const key = logObjectKey("churn-v2", new Date("2026-03-04T23:59:59.999+02:00"), "batch-1");
    expect(key).toBe("logs/model=churn-v2/dt=2026-03-04/hour=21/batch-1.ndjson.gz");
  });
});
