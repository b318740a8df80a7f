import { type Column, type Dataset, MISSING_CODE } from "#shared/drift/dataset";
import { sortColumn } from "#shared/drift/sort-column";
import { GrowableFloat64 } from "#shared/readers/growable-array";
import { compareCodePoints } from "#shared/stats/contingency";

/**
 * The drift engine's input in mergeable form: per column, the numbers and the counts of the other
 * values seen, and how many rows there were. A baseline is stored this way, and so is each partial
 * result of a check that fans out over many log batches: merging two summaries (concatenating the
 * numbers, adding the counts) and comparing gives exactly the report one pass over all rows gives,
 * because every statistic depends only on the multiset of values, never on their order.
 */
export interface DatasetSummary {
  rows: number;
  columns: Map<string, ColumnSummary>;
}

/** One column's values; rows without a value (null, absent) are the rows not counted here. */
export interface ColumnSummary {
  numbers: Float64Array;
  /** String and boolean values (as "true"/"false"), by value. */
  categories: Map<string, number>;
}

export type CellValue = number | string | boolean | null | undefined;

/** Collects rows into a {@link DatasetSummary}: typed arrays and counts, never an object per value. */
export class DatasetSummaryBuilder {
  private rows = 0;
  private readonly numbers = new Map<string, GrowableFloat64>();
  private readonly categories = new Map<string, Map<string, number>>();

  /** Adds one row: each column's value, by column name. */
  addRow(values: Readonly<Record<string, CellValue>>): void {
    this.rows++;
    for (const name in values) this.add(name, values[name]);
  }

  /** Adds one column's value to the row {@link addRow} added last. */
  addToLastRow(name: string, value: CellValue): void {
    this.add(name, value);
  }

  finish(): DatasetSummary {
    const columns = new Map<string, ColumnSummary>();
    for (const name of new Set([...this.numbers.keys(), ...this.categories.keys()])) {
      columns.set(name, {
        numbers: this.numbers.get(name)?.finish() ?? new Float64Array(0),
        categories: this.categories.get(name) ?? new Map(),
      });
    }
    return { rows: this.rows, columns };
  }

  private add(name: string, value: CellValue): void {
    if (value === null || value === undefined) return;
    if (typeof value === "number") {
      let numbers = this.numbers.get(name);
      if (!numbers) {
        numbers = new GrowableFloat64();
        this.numbers.set(name, numbers);
      }
      numbers.push(value);
      return;
    }
    let counts = this.categories.get(name);
    if (!counts) {
      counts = new Map();
      this.categories.set(name, counts);
    }
    const label = String(value);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
}

/**
 * The summary of the rows of both, as if one builder had seen them all.
 *
 * @example
 * mergeSummaries(summaryOfMonday, summaryOfTuesday).rows; // Monday's rows + Tuesday's rows
 */
export function mergeSummaries(a: DatasetSummary, b: DatasetSummary): DatasetSummary {
  const columns = new Map<string, ColumnSummary>();
  for (const name of new Set([...a.columns.keys(), ...b.columns.keys()])) {
    const left = a.columns.get(name);
    const right = b.columns.get(name);
    if (!left || !right) {
      columns.set(name, (left ?? right) as ColumnSummary);
      continue;
    }
    const numbers = new Float64Array(left.numbers.length + right.numbers.length);
    numbers.set(left.numbers);
    numbers.set(right.numbers, left.numbers.length);
    const categories = new Map(left.categories);
    for (const [label, count] of right.categories)
      categories.set(label, (categories.get(label) ?? 0) + count);
    columns.set(name, { numbers, categories });
  }
  return { rows: a.rows + b.rows, columns };
}

/**
 * The columnar {@link Dataset} the drift engine reads. A column with any non-numeric value is
 * categorical, its numbers counted as their decimal strings (the engine compares categories as
 * strings); otherwise numeric, its numbers in ascending order, then NaN for the rows without a value.
 * Numbers and category codes are in sorted order, so the result does not depend on the order rows
 * arrived in; and each numeric column is radix-sorted once, here: the engine's and the histograms'
 * sorts of it then find it in order and only copy it.
 */
export function toDataset(summary: DatasetSummary): Dataset {
  const columns = new Map<string, Column>();
  for (const [name, column] of [...summary.columns].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    columns.set(name, toColumn(column, summary.rows));
  }
  return { rows: summary.rows, columns };
}

function toColumn(column: ColumnSummary, rows: number): Column {
  if (column.categories.size === 0) {
    const { sorted } = sortColumn(column.numbers);
    if (sorted.length === rows) return { kind: "numeric", values: sorted };
    const values = new Float64Array(rows).fill(Number.NaN);
    values.set(sorted);
    return { kind: "numeric", values };
  }
  const counts = new Map(column.categories);
  for (const value of column.numbers) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  const dictionary = [...counts.keys()].sort(compareCodePoints);
  const codes = new Int32Array(rows).fill(MISSING_CODE);
  let row = 0;
  dictionary.forEach((label, code) => {
    const count = counts.get(label) as number;
    codes.fill(code, row, row + count);
    row += count;
  });
  return { kind: "categorical", codes, dictionary };
}
