import { sortColumn } from "#shared/drift/sort-column";
import { buildContingencyTable, type CategoricalCounts } from "../../../../shared/stats/contingency.ts";
import { type VectorCase, vectors } from "../../../fixtures/stats-vectors.ts";

/** A numeric case of the scipy vectors, prepared as the engine prepares a column: sorted, without NaN. */
export interface NumericSampleCase {
  name: string;
  reference: Float64Array;
  current: Float64Array;
  source: VectorCase;
}

/** A categorical case of the scipy vectors with its contingency table, built as the engine builds it. */
export interface CategoricalSampleCase {
  name: string;
  table: CategoricalCounts;
  source: VectorCase;
}

const sortedSample = (values: ReadonlyArray<number | string>): Float64Array =>
  sortColumn(Float64Array.from(values, Number)).sorted;

export const numericCases: NumericSampleCase[] = vectors.cases
  .filter((c) => c.type === "numeric")
  .map((c) => ({
    name: c.name,
    reference: sortedSample(c.reference),
    current: sortedSample(c.current),
    source: c,
  }));

export const categoricalCases: CategoricalSampleCase[] = vectors.cases
  .filter((c) => c.type === "categorical")
  .map((c) => ({ name: c.name, table: buildContingencyTable(c.reference, c.current), source: c }));

/** The categorical cases for which the vectors hold the given statistic (ztest, fisher: two categories). */
export function categoricalCasesWith(statistic: string): CategoricalSampleCase[] {
  return categoricalCases.filter((c) => statistic in c.source.expected);
}

/** The expected (scipy) value of `statistic.field` in a case, which must be a number. */
export function expectedNumber(c: VectorCase, statistic: string, field: string): number {
  const value = c.expected[statistic]?.[field];
  if (typeof value !== "number") throw new Error(`${c.name}: expected.${statistic}.${field} is not a number`);
  return value;
}

/** One case of the vectors by name (a test about a property of one particular case). */
export function vectorCase<T extends { name: string }>(cases: T[], name: string): T {
  const found = cases.find((c) => c.name === name);
  if (!found) throw new Error(`no vector case named ${name}`);
  return found;
}
