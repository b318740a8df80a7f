/**
 * The columnar form every data source is read into (CSV, NDJSON and Parquet files, S3 log
 * batches) and the drift engine reads from: one typed array per column, never an object per
 * value, so a million rows cost megabytes, not gigabytes.
 */

/** Numbers, with NaN for a missing value (null, NaN, empty). */
export interface NumericColumn {
  kind: "numeric";
  values: Float64Array;
}

/** Values interned into a dictionary; `codes[i]` indexes `dictionary`, -1 for a missing value. */
export interface CategoricalColumn {
  kind: "categorical";
  codes: Int32Array;
  dictionary: string[];
}

export type Column = NumericColumn | CategoricalColumn;

export interface Dataset {
  rows: number;
  /** Column name -> column, in the source's column order. */
  columns: Map<string, Column>;
}

export const MISSING_CODE = -1;
