import { describe, expect, it } from "vitest";
import { confusionMatrix, countPair, mergeConfusion } from "#shared/performance/confusion";

function countsOf(actual: Array<string | number>, predicted: Array<string | number>) {
  const counts = new Map<string, Map<string, number>>();
  actual.forEach((label, i) => {
    countPair(counts, String(label), String(predicted[i]));
  });
  return counts;
}

describe("confusionMatrix", () => {
  it("matches sklearn's confusion_matrix docstring examples, rows actual and columns predicted", () => {
    // confusion_matrix([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]) -> [[2, 0, 0], [0, 0, 1], [1, 0, 2]]
    expect(confusionMatrix(countsOf([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]))).toEqual({
      labels: ["0", "1", "2"],
      counts: [
        [2, 0, 0],
        [0, 0, 1],
        [1, 0, 2],
      ],
    });
    const animals = countsOf(
      ["cat", "ant", "cat", "cat", "ant", "bird"],
      ["ant", "ant", "cat", "cat", "ant", "cat"],
    );
    expect(confusionMatrix(animals).counts).toEqual([
      [2, 0, 0],
      [0, 0, 1],
      [1, 0, 2],
    ]);
    // The binary case: tn, fp, fn, tp = confusion_matrix([0, 1, 0, 1], [1, 1, 1, 0]).ravel() -> (0, 2, 1, 1)
    expect(confusionMatrix(countsOf([0, 1, 0, 1], [1, 1, 1, 0])).counts.flat()).toEqual([0, 2, 1, 1]);
  });

  it("includes a label that was only ever predicted", () => {
    expect(confusionMatrix(countsOf(["a", "a"], ["a", "z"]))).toEqual({
      labels: ["a", "z"],
      counts: [
        [1, 1],
        [0, 0],
      ],
    });
  });

  it("is empty without rows", () => {
    expect(confusionMatrix(new Map())).toEqual({ labels: [], counts: [] });
  });
});

describe("mergeConfusion", () => {
  it("adds the counts of both partitions and leaves them unchanged", () => {
    const a = countsOf(["x", "y"], ["x", "x"]);
    const b = countsOf(["x", "z"], ["x", "y"]);
    expect(confusionMatrix(mergeConfusion(a, b))).toEqual(
      confusionMatrix(countsOf(["x", "y", "x", "z"], ["x", "x", "x", "y"])),
    );
    expect(a.get("x")?.get("x")).toBe(1);
  });
});
