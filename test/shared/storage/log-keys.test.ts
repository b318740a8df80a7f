import { describe, expect, it } from "vitest";
import { batchIdAt, hourPartitionsBetween, logObjectKey, receivedAtOfLogKey } from "#shared/storage/log-keys";

describe("logObjectKey", () => {
  it("partitions by model, UTC day and hour, Hive style", () => {
    const key = logObjectKey("churn-v2", new Date("2026-03-04T23:59:59.999+02:00"), "batch-1");
    expect(key).toBe("logs/model=churn-v2/dt=2026-03-04/hour=21/batch-1.ndjson.gz");
  });
});

describe("batch ids", () => {
  it("carry their receipt time, which a check reads back from the key", () => {
    const receivedAt = new Date("2026-12-01T13:30:05.123Z");
    const key = logObjectKey("m", receivedAt, batchIdAt(receivedAt, "3f1c"));
    expect(key).toBe("logs/model=m/dt=2026-12-01/hour=13/20261201T133005123Z-3f1c.ndjson.gz");
    expect(receivedAtOfLogKey(key)).toEqual(receivedAt);
  });

  it("leave keys without a receipt time to the object's own date", () => {
    expect(receivedAtOfLogKey("logs/model=m/dt=2026-12-01/hour=13/3f1c.ndjson.gz")).toBeUndefined();
  });
});

describe("hourPartitionsBetween", () => {
  it("lists every UTC hour a window touches, across midnight", () => {
    expect(hourPartitionsBetween(new Date("2026-12-01T22:30:00Z"), new Date("2026-12-02T01:00:00Z"))).toEqual(
      ["dt=2026-12-01/hour=22/", "dt=2026-12-01/hour=23/", "dt=2026-12-02/hour=00/"],
    );
  });
});
