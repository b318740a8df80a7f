import { describe, expect, it } from "vitest";
import { latestLabels } from "#shared/monitoring/performance/latest-labels";

const received = "2026-12-01T10:00:00.000Z";

describe("each id's latest label", () => {
  it("keeps the label written last, whatever order the objects were read in", () => {
    const early = {
      id: "a",
      label: 0,
      prediction: 1,
      receivedAt: received,
      labeledAt: "2026-12-02T08:00:00.000Z",
    };
    const late = { ...early, label: 1, labeledAt: "2026-12-03T08:00:00.000Z" };
    expect(latestLabels([late, early])).toEqual([late]);
    expect(latestLabels([early, late])).toEqual([late]);
  });

  it("counts a retried request's labels once", () => {
    const label = {
      id: "a",
      label: 0,
      prediction: 0,
      receivedAt: received,
      labeledAt: "2026-12-02T08:00:00.000Z",
    };
    const other = { ...label, id: "b" };
    expect(latestLabels([label, other, { ...label }])).toHaveLength(2);
  });
});
