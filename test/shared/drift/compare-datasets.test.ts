import { describe, expect, it } from "vitest";
import { INFINITE_ODDS_RATIO } from "#shared/drift/categorical-feature";
import { compareDatasets } from "#shared/drift/compare-datasets";
import { driftReportSchema, type FeatureReport } from "#shared/schemas/drift-report";
import { expectClose, vectors } from "../../fixtures/stats-vectors.ts";
import { Random } from "../../support/random.ts";
import { categorical, dataset, generate, numeric } from "./support/columns.ts";

const random = new Random(20240601);
const normals = (count: number, shift = 0, scale = 1) =>
  generate(count, () => shift + scale * random.normal());

function feature(report: ReturnType<typeof compareDatasets>, name: string): FeatureReport {
  const result = report.features[name];
  if (!result) throw new Error(`no feature ${name} in the report`);
  return result;
}

describe("compareDatasets", () => {
  it("reports every statistic of the scipy reference vectors, through the whole engine", () => {
    for (const vector of vectors.cases) {
      const column = (values: Array<number | string>) =>
        vector.type === "numeric"
          ? numeric(values as Array<number | null>)
          : categorical(values.map((value) => (value === null ? null : String(value))));
      const report = compareDatasets(
        dataset({ x: column(vector.reference) }),
        dataset({ x: column(vector.current) }),
      );
      const x = feature(report, "x");
      expect(x.type, vector.name).toBe(vector.type);
      expectClose(x.missing.reference, vector.missing.reference, `${vector.name} missing`);
      for (const [test, fields] of Object.entries(vector.expected)) {
        if (test === "newCategories") {
          expect(x.newCategories, vector.name).toEqual(fields);
          continue;
        }
        const reported = x.tests[test] as Record<string, number>;
        for (const [field, expected] of Object.entries(fields)) {
          expectClose(reported[field] as number, expected as number, `${vector.name} ${test}.${field}`);
        }
      }
    }
  });

  it("returns a report that validates against the schema and survives JSON without NaN or Infinity", () => {
    const report = compareDatasets(
      dataset({
        shifted: numeric(normals(300)),
        empty: numeric(Array(300).fill(null)),
        constant: numeric(Array(300).fill(7)),
        member: categorical(generate(300, (i) => i % 3).map((k) => (k === 0 ? "yes" : "no"))),
        onlyReference: numeric(normals(300)),
      }),
      dataset({
        shifted: numeric(normals(300, 1)),
        empty: numeric(Array(300).fill(null)),
        constant: numeric(Array(300).fill(8)),
        // Every current row "yes": one off-diagonal cell of Fisher's table is 0, the odds ratio infinite.
        member: categorical(Array(300).fill("yes")),
        onlyCurrent: categorical(Array(300).fill("a")),
      }),
      {
        modelId: "churn",
        referenceVersion: "v3",
        window: { from: "2024-06-01T00:00Z", to: "2024-06-01T01:00Z" },
      },
    );
    expect(() => driftReportSchema.parse(report)).not.toThrow();
    const json = JSON.stringify(report);
    expect(json).not.toMatch(/NaN|Infinity|null(?!,"|})/);
    expect(JSON.parse(json)).toEqual(report);
    expect(report).toMatchObject({
      modelId: "churn",
      reference: { rows: 300, version: "v3" },
      current: { rows: 300 },
    });
    expect(feature(report, "member").tests.fisher).toMatchObject({ statistic: INFINITE_ODDS_RATIO });
    expect(report.decision.unsharedColumns).toEqual({
      referenceOnly: ["onlyReference"],
      currentOnly: ["onlyCurrent"],
    });
  });

  it("flags only the feature that changed and says how the data set's verdict was reached", () => {
    const report = compareDatasets(
      dataset({ a: numeric(normals(2000)), b: numeric(normals(2000)), c: numeric(normals(2000)) }),
      dataset({ a: numeric(normals(2000)), b: numeric(normals(2000, 0.5)), c: numeric(normals(2000)) }),
    );
    expect(report).toMatchObject({
      drifted: true,
      driftedFeatures: ["b"],
      share: 1 / 3,
      modelId: "adhoc",
      window: null,
    });
    expect(feature(report, "b")).toMatchObject({ method: "mannwhitney", drifted: true, threshold: 0.025 });
    expect(feature(report, "b").reason).toMatch(
      /^flagged: .*Benjamini-Hochberg across 3 features.*normed Wasserstein/,
    );
    expect(report.decision).toMatchObject({ policy: "significant-and-material", testedFeatures: 3 });
    expect(report.decision.description).toMatch(/Benjamini-Hochberg at q = 0.025/);
  });

  it("gives an all-missing column an explicit verdict instead of NaN", () => {
    const report = compareDatasets(
      dataset({ x: numeric(Array(50).fill(null)), y: categorical(Array(50).fill(null)) }),
      dataset({ x: numeric(Array(40).fill(null)), y: categorical(Array(40).fill(null)) }),
    );
    for (const name of ["x", "y"]) {
      expect(feature(report, name)).toMatchObject({
        missing: { reference: 1, current: 1 },
        method: "none",
        drifted: false,
        severity: "none",
      });
      expect(feature(report, name).reason).toMatch(/no test applies; no values in either dataset/);
    }
    expect(feature(report, "x").tests.ks).toEqual({ notApplicable: "ks_2samp needs two non-empty samples" });
  });

  it("flags a column whose values all went missing, through the missing-rate test", () => {
    const report = compareDatasets(
      dataset({ x: numeric(normals(200)) }),
      dataset({ x: numeric(Array(200).fill(null)) }),
    );
    expect(feature(report, "x")).toMatchObject({ method: "missingRate", drifted: true, severity: "high" });
    expect(feature(report, "x").reason).toMatch(/no values in the current data/);
  });

  it("flags 30% missing values in an otherwise unchanged column", () => {
    const values = normals(500);
    const report = compareDatasets(
      dataset({ x: numeric(values) }),
      dataset({ x: numeric(normals(500).map((value, i) => (i % 10 < 3 ? null : value))) }),
    );
    expect(feature(report, "x")).toMatchObject({
      missing: { reference: 0, current: 0.3 },
      method: "missingRate",
      drifted: true,
      effect: { measure: "missing-rate change", threshold: 0.05 },
    });
  });

  it("says a constant column is constant, and flags it only when its value changed", () => {
    const report = compareDatasets(
      dataset({ same: numeric(Array(100).fill(3)), moved: numeric(Array(100).fill(3)) }),
      dataset({ same: numeric(Array(80).fill(3)), moved: numeric(Array(80).fill(4)) }),
    );
    expect(feature(report, "same")).toMatchObject({
      drifted: false,
      notes: ["constant: every value is 3 in both datasets"],
    });
    expect(feature(report, "same").tests.ttest).toMatchObject({
      notApplicable: expect.stringContaining("constant"),
    });
    expect(feature(report, "moved")).toMatchObject({ drifted: true, severity: "high" });
    expect(feature(report, "moved").reason).toMatch(/3 in the reference and 4 in the current data/);
  });

  it("compares a single category without drift and says why the two-category tests do not apply", () => {
    const report = compareDatasets(
      dataset({ country: categorical(Array(100).fill("FR")) }),
      dataset({ country: categorical(Array(90).fill("FR")) }),
    );
    const country = feature(report, "country");
    expect(country).toMatchObject({ drifted: false, tests: { chi2: { statistic: 0, pValue: 1, dof: 0 } } });
    expect(country.tests.ztest).toMatchObject({
      notApplicable: expect.stringContaining("exactly two categories"),
    });
    expect(country.notes).toEqual(['a single category ("FR") in both datasets']);
  });

  it("compares a column numeric in one data set and categorical in the other as strings, and says so", () => {
    const report = compareDatasets(
      dataset({ code: numeric(generate(300, (i) => i % 3)) }),
      dataset({ code: categorical(generate(300, (i) => i % 3).map((k) => (k === 2 ? "N/A" : String(k)))) }),
    );
    const code = feature(report, "code");
    expect(code.type).toBe("categorical");
    expect(code.notes?.[0]).toMatch(/numeric in the reference but categorical in the current data/);
    expect(code.newCategories).toEqual({ values: ["N/A"], share: 1 / 3 });
    expect(code.drifted).toBe(true);
  });

  it("honours the model config's type, method and threshold for a feature", () => {
    const reference = dataset({ score: numeric(normals(1000)), plan: numeric(generate(1000, (i) => i % 4)) });
    const current = dataset({
      score: numeric(normals(1000, 0.05)),
      plan: numeric(generate(1000, (i) => i % 4)),
    });
    const byRule = compareDatasets(reference, current, {
      features: {
        score: { type: "numeric", method: "psi", threshold: 0.0001 },
        plan: { type: "categorical" },
      },
    });
    expect(feature(byRule, "score")).toMatchObject({ method: "psi", threshold: 0.0001, drifted: true });
    expect(feature(byRule, "score").reason).toMatch(/^flagged by the model config's rule: psi = .* ≥ 0.0001/);
    expect(feature(byRule, "plan")).toMatchObject({
      type: "categorical",
      notes: ["compared as categories, as the model config says"],
    });
    expect(byRule.decision).toMatchObject({ featuresWithOwnRule: ["score"], testedFeatures: 1 });

    const pValueRule = compareDatasets(reference, current, {
      features: { score: { type: "numeric", threshold: 1 } },
    });
    expect(feature(pValueRule, "score")).toMatchObject({ method: "ks", threshold: 1, drifted: true });
  });

  it("falls back to the default policy, and says so, when the configured method does not apply", () => {
    const report = compareDatasets(
      dataset({ x: numeric(normals(100)) }),
      dataset({ x: numeric(normals(100)) }),
      {
        features: { x: { type: "numeric", method: "chi2", threshold: 0.01 } },
      },
    );
    expect(feature(report, "x")).toMatchObject({ threshold: 0.025, adjustedPValue: expect.any(Number) });
    expect(feature(report, "x").reason).toMatch(
      /"chi2" does not apply to numeric features, so the default policy decides/,
    );
  });

  it("reports prediction drift apart from the features, class shares for a classifier", () => {
    const classes = (share: number) => generate(1000, (i) => (i / 1000 < share ? 1 : 0));
    const report = compareDatasets(
      dataset({ x: numeric(normals(1000)), label: numeric(classes(0.2)) }),
      dataset({ x: numeric(normals(1000)), label: numeric(classes(0.35)) }),
      { prediction: { column: "label", type: "categorical" } },
    );
    expect(Object.keys(report.features)).toEqual(["x"]);
    expect(report.prediction).toMatchObject({ type: "categorical", method: "chi2", drifted: true });
    expect(report.drifted).toBe(false);
  });
});
