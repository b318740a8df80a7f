import { describe, expect, it } from "vitest";
import { compareDatasets } from "#shared/drift/compare-datasets";
import type { Column, Dataset } from "#shared/drift/dataset";
import { expectClose, type VectorCase, vectors } from "../../fixtures/stats-vectors.ts";

/** A one-column dataset, as a reader would build it from the case's values. */
function datasetOf(values: ReadonlyArray<number | string>, type: VectorCase["type"]): Dataset {
  let column: Column;
  if (type === "numeric") column = { kind: "numeric", values: Float64Array.from(values as number[]) };
  else {
    const dictionary = [...new Set(values.map(String))];
    const index = new Map(dictionary.map((value, code) => [value, code]));
    column = {
      kind: "categorical",
      dictionary,
      codes: Int32Array.from(values, (value) => index.get(String(value)) ?? -1),
    };
  }
  return { rows: values.length, columns: new Map([["x", column]]) };
}

/**
 * The whole scipy 1.10 vector file through the engine, every case and every field: what a user reads
 * in a drift report's `tests` must be exactly what scipy computes (relative 1e-9 or absolute 1e-12).
 */
describe("drift reports reproduce every scipy reference value", () => {
  it.each(vectors.cases)("$name", (vectorCase) => {
    const report = compareDatasets(
      datasetOf(vectorCase.reference, vectorCase.type),
      datasetOf(vectorCase.current, vectorCase.type),
    );
    const feature = report.features.x;
    expect(feature?.missing).toEqual(vectorCase.missing);
    for (const [statistic, expectedFields] of Object.entries(vectorCase.expected)) {
      if (statistic === "newCategories") {
        expect(feature?.newCategories).toEqual(expectedFields);
        continue;
      }
      const reported = feature?.tests[statistic] as Record<string, unknown> | undefined;
      expect(reported, `${statistic} is missing from the report`).toBeDefined();
      for (const [field, expected] of Object.entries(expectedFields)) {
        expectClose(
          reported?.[field] as number,
          expected as number,
          `${vectorCase.name} ${statistic}.${field}`,
        );
      }
    }
  });
});
