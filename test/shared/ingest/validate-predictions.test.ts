import { describe, expect, it } from "vitest";
import { ValidationProblem } from "#shared/http/problem";
import { validatePredictions } from "#shared/ingest/validate-predictions";

const receivedAt = new Date("2026-11-01T10:00:00.000Z");

describe("validatePredictions", () => {
  it("fills in a generated id and the time of receipt, and counts no id as the client's", () => {
    const { records, clientIds } = validatePredictions({ features: { x: 1 }, prediction: 0 }, receivedAt);
    expect(records[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(records[0]?.timestamp).toBe("2026-11-01T10:00:00.000Z");
    expect(clientIds).toEqual([]);
  });

  it("keeps client ids and timestamps, and names the ids the client sent", () => {
    const { records, clientIds } = validatePredictions(
      {
        records: [
          { id: "a", timestamp: "2026-10-31T09:00:00+01:00", features: {}, prediction: "x" },
          { features: {}, prediction: "y" },
        ],
      },
      receivedAt,
    );
    expect(records[0]).toEqual({
      id: "a",
      timestamp: "2026-10-31T09:00:00+01:00",
      features: {},
      prediction: "x",
    });
    expect(records[1]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(clientIds).toEqual(["a"]);
  });

  it("reports every bad record of a batch, not only the first", () => {
    try {
      validatePredictions(
        {
          records: [
            { features: {}, prediction: 1, latencyMs: -1 },
            { features: { x: [] }, prediction: 1 },
          ],
        },
        receivedAt,
      );
      expect.unreachable();
    } catch (error) {
      const paths = (error as ValidationProblem).errors?.map((fieldError) => fieldError.path);
      expect(paths).toEqual(["records[0].latencyMs", "records[1].features.x"]);
    }
  });

  it.each([
    ["a single record", { features: {}, prediction: 1, latency: 3 }, "latency"],
    ["a record of a batch", { records: [{ features: {}, prediction: 1, latency: 3 }] }, "records[0].latency"],
  ])("names an unknown key in %s by its path", (_, body, path) => {
    try {
      validatePredictions(body, receivedAt);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationProblem).errors).toEqual([{ path, message: 'Unrecognized key: "latency"' }]);
    }
  });

  it("reports a duplicate id with the index it repeats", () => {
    expect(() =>
      validatePredictions(
        {
          records: [
            { id: "a", features: {}, prediction: 1 },
            { id: "a", features: {}, prediction: 2 },
          ],
        },
        receivedAt,
      ),
    ).toThrow(ValidationProblem);
  });

  it("treats a JSON array body as one invalid record", () => {
    expect(() => validatePredictions([{ features: {}, prediction: 1 }], receivedAt)).toThrow(
      ValidationProblem,
    );
  });
});
