import { describe, expect, it } from "vitest";
import { confusionMatrix, countPair } from "#shared/performance/confusion";
import { precisionRecallF1 } from "#shared/performance/precision-recall-f1";

function scoresOf(actual: Array<string | number>, predicted: Array<string | number>) {
  const counts = new Map<string, Map<string, number>>();
  actual.forEach((label, i) => {
    countPair(counts, String(label), String(predicted[i]));
  });
  return precisionRecallF1(confusionMatrix(counts));
}

describe("precisionRecallF1", () => {
  it("matches sklearn's precision_recall_fscore_support docstring example", () => {
    // y_true = ['cat', 'dog', 'pig', 'cat', 'dog', 'pig'], y_pred = ['cat', 'pig', 'dog', 'cat', 'cat', 'dog']
    // average='macro' -> (0.22..., 0.33..., 0.26..., None); average='weighted' -> (0.22..., 0.33..., 0.26..., None)
    // labels=['pig', 'dog', 'cat'], average=None -> precision [0, 0, 0.66...], recall [0, 0, 1], f [0, 0, 0.8],
    // support [2, 2, 2]
    const { perClass, macro, weighted } = scoresOf(
      ["cat", "dog", "pig", "cat", "dog", "pig"],
      ["cat", "pig", "dog", "cat", "cat", "dog"],
    );
    expect(perClass).toEqual([
      { label: "cat", precision: 2 / 3, recall: 1, f1: 0.8, support: 2 },
      { label: "dog", precision: 0, recall: 0, f1: 0, support: 2 },
      { label: "pig", precision: 0, recall: 0, f1: 0, support: 2 },
    ]);
    expect(macro.precision).toBeCloseTo(2 / 9, 15);
    expect(macro.recall).toBeCloseTo(1 / 3, 15);
    expect(macro.f1).toBeCloseTo(0.8 / 3, 15);
    expect(weighted).toEqual(macro);
    expect(String(macro.precision)).toMatch(/^0\.22/);
    expect(String(macro.f1)).toMatch(/^0\.26/);
  });

  it("matches the precision_score, recall_score and f1_score docstring examples", () => {
    // y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1]: precision macro 0.22..., weighted 0.22...,
    // None [0.66..., 0, 0]; recall macro 0.33..., None [1, 0, 0]; f1 macro 0.26..., None [0.8, 0, 0]
    const { perClass, macro, weighted } = scoresOf([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1]);
    expect(perClass.map((score) => [score.precision, score.recall, score.f1])).toEqual([
      [2 / 3, 1, 0.8],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(String(macro.precision)).toMatch(/^0\.22/);
    expect(String(weighted.precision)).toMatch(/^0\.22/);
    expect(String(macro.recall)).toMatch(/^0\.33/);
    expect(String(macro.f1)).toMatch(/^0\.26/);
    // y_pred = [0, 0, 0, 0, 0, 0]: precision_score(average=None) -> [0.33..., 0, 0], the 0/0 ones set to 0
    const unpredicted = scoresOf([0, 1, 2, 0, 1, 2], [0, 0, 0, 0, 0, 0]);
    expect(unpredicted.perClass.map((score) => score.precision)).toEqual([1 / 3, 0, 0]);
  });

  it("keeps a never-predicted label's zero precision in the macro mean", () => {
    // a: tp 2, predicted 4, support 2 -> P 1/2, R 1, F1 4/6; b: never predicted -> P 0 (0/0), R 0, F1 0.
    const { macro, weighted } = scoresOf(["a", "a", "b", "b"], ["a", "a", "a", "a"]);
    expect(macro).toEqual({ precision: 0.25, recall: 0.5, f1: 1 / 3 });
    expect(weighted).toEqual(macro);
  });

  it("gives a never-actual label no weight in the weighted mean but a zero in the macro mean", () => {
    // a: tp 1, predicted 1, support 2 -> P 1, R 1/2, F1 2/3; z: predicted once, never actual -> P 0, R 0 (0/0).
    const { perClass, macro, weighted } = scoresOf(["a", "a"], ["a", "z"]);
    expect(perClass[1]).toEqual({ label: "z", precision: 0, recall: 0, f1: 0, support: 0 });
    expect(macro).toEqual({ precision: 0.5, recall: 0.25, f1: 1 / 3 });
    expect(weighted).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3 });
  });

  it("scores a perfect single-class window as 1", () => {
    expect(scoresOf(["a", "a"], ["a", "a"]).macro).toEqual({ precision: 1, recall: 1, f1: 1 });
  });
});
