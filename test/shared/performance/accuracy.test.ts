import { describe, expect, it } from "vitest";
import { accuracy } from "#shared/performance/accuracy";

describe("accuracy", () => {
  it("matches sklearn's accuracy_score docstring example", () => {
    // accuracy_score(y_true=[0, 1, 2, 3], y_pred=[0, 2, 1, 3]) -> 0.5
    const matrix = {
      labels: ["0", "1", "2", "3"],
      counts: [
        [1, 0, 0, 0],
        [0, 0, 1, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 1],
      ],
    };
    expect(accuracy(matrix)).toBe(0.5);
  });

  it("is the diagonal's share of all rows", () => {
    expect(
      accuracy({
        labels: ["a", "b"],
        counts: [
          [3, 1],
          [0, 0],
        ],
      }),
    ).toBe(0.75);
  });
});
