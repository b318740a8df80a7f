import { describe, expect, it } from "vitest";
import {
  finishRegression,
  mergeRegressionPartials,
  r2Score,
  regressionPartial,
} from "#shared/performance/regression";
import { regressionReportSchema } from "#shared/schemas/performance-metrics";
import { Random } from "../../support/random.ts";
import { partitionsOf } from "./support/partitions.ts";

const f64 = (values: number[]) => Float64Array.from(values);
const reportOf = (actual: number[], predicted: number[]) =>
  finishRegression(regressionPartial(f64(actual), f64(predicted)));
const r2Of = (actual: number[], predicted: number[]) =>
  r2Score(regressionPartial(f64(actual), f64(predicted)));

describe("finishRegression", () => {
  it("matches the docstring examples of sklearn's regression metrics", () => {
    // y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]: mean_absolute_error 0.5, mean_squared_error 0.375,
    // mean_absolute_percentage_error 0.3273..., r2_score 0.948...
    const report = reportOf([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(report.rows).toBe(4);
    expect(report.mae).toBe(0.5);
    expect(report.rmse).toBe(Math.sqrt(0.375));
    // |e|/|y|: 0.5/3, 0.5/0.5, 0, 1/7
    expect(report.mape).toBeCloseTo((0.5 / 3 + 1 + 1 / 7) / 4, 15);
    expect(String(report.mape)).toMatch(/^0\.3273/);
    // ȳ = 2.875: Σ(y − ȳ)² = 29.1875, Σ(y − ŷ)² = 1.5
    expect(report.r2).toBeCloseTo(1 - 1.5 / 29.1875, 15);
    expect(String(report.r2)).toMatch(/^0\.948/);
    expect(regressionReportSchema.parse(report)).toEqual(report);
  });

  it("keeps MAPE finite but enormous for a zero actual, as sklearn's docstring shows", () => {
    // mean_absolute_percentage_error([1., 0., 2.4, 7.], [1.2, 0.1, 2.4, 8.]) -> 112589990684262.48
    const { mape } = reportOf([1, 0, 2.4, 7], [1.2, 0.1, 2.4, 8]);
    expect(mape).toBe(112589990684262.48);
  });

  it("says no value has arrived instead of reporting an empty window's metrics", () => {
    const reason = { notApplicable: "no prediction has a ground-truth value yet" };
    expect(reportOf([], [])).toEqual({
      rows: 0,
      mae: reason,
      rmse: reason,
      mape: reason,
      r2: { notApplicable: "R² is not well-defined with less than two rows" },
    });
  });

  it("reports an overflow instead of Infinity", () => {
    const report = reportOf([1e200, -1e200], [-1e200, 1e200]);
    expect(report.mae).toBe(2e200);
    expect(report.rmse).toEqual({ notApplicable: "rmse is not finite (overflow)" });
    expect(report.r2).toEqual({ notApplicable: "r2 is not finite (overflow)" });
  });

  it("refuses columns of different lengths", () => {
    expect(() => regressionPartial(f64([1, 2]), f64([1]))).toThrow(RangeError);
  });
});

describe("r2Score", () => {
  it("matches sklearn's r2_score docstring examples, constant targets included (force_finite=True)", () => {
    expect(r2Of([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2Of([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(r2Of([1, 2, 3], [3, 2, 1])).toBe(-3);
    // Constant y_true: 1.0 for perfect predictions (nan without force_finite), 0.0 otherwise (-inf).
    expect(r2Of([-2, -2, -2], [-2, -2, -2])).toBe(1);
    expect(r2Of([-2, -2, -2], [-2, -2, -2 + 1e-8])).toBe(0);
  });

  it("recognises a constant target whose mean does not round back to it", () => {
    // (0.1 + 0.1 + 0.1) / 3 is 0.10000000000000002 in doubles; the target is still constant.
    expect(r2Of([0.1, 0.1, 0.1], [0.1, 0.1, 0.2])).toBe(0);
  });

  it("keeps a small spread around a large mean, where Σy² − (Σy)²/n cancels in doubles", () => {
    // y = 1e9 + (0, 1, 2, 3): Σ(y − ȳ)² = 5; predictions off by 0.5 each: Σ(y − ŷ)² = 1.
    const actual = [1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3];
    expect(
      r2Of(
        actual,
        actual.map((y) => y + 0.5),
      ),
    ).toBe(1 - 1 / 5);
  });

  it("is not applicable below two rows, where sklearn returns NaN", () => {
    expect(r2Of([1], [1])).toEqual({ notApplicable: "R² is not well-defined with less than two rows" });
  });
});

describe("mergeRegressionPartials", () => {
  it("gives exactly the report of one pass, however the rows are partitioned", () => {
    const random = new Random(17);
    const pairs = Array.from({ length: 700 }, (_, i) => {
      const actual = i % 50 === 0 ? 0 : 1e6 * random.normal() + (i % 7) * 1e-3;
      return [actual, actual + random.normal() * 10 ** random.int(6)] as const;
    });
    const columns = (rows: ReadonlyArray<readonly [number, number]>) =>
      regressionPartial(f64(rows.map(([actual]) => actual)), f64(rows.map(([, predicted]) => predicted)));
    const whole = finishRegression(columns(pairs));
    for (let trial = 0; trial < 5; trial++) {
      const merged = partitionsOf(pairs, 2 + random.int(8), random)
        .map(columns)
        .reduce(mergeRegressionPartials);
      expect(finishRegression(merged)).toEqual(whole);
    }
  });
});
