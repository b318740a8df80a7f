import { type CategoryCounts, countCategories } from "./category-counts.ts";
import type { CategoricalColumn, Column } from "./dataset.ts";

/** One shared column of both datasets, read the way it will be compared. */
export type ColumnPair =
  | { type: "numeric"; reference: Float64Array; current: Float64Array; notes: string[] }
  | { type: "categorical"; reference: CategoryCounts; current: CategoryCounts; notes: string[] };

/**
 * Decides how a column is compared. Numeric in both datasets: numeric. Categorical in either: as
 * categories (strings), with a note when the other dataset read it as numbers, since a type flip between
 * reference and current is itself worth a look (a sentinel like "N/A" creeping into a numeric column).
 * The model config's type wins: "categorical" always applies; "numeric" applies when every category
 * label is a number, and otherwise the column stays categorical with a note saying why.
 *
 * @param forcedType the feature's `type` in the model config, if it has one
 * @example
 * pairColumns({ kind: "numeric", values }, { kind: "categorical", codes, dictionary }).type; // "categorical"
 */
export function pairColumns(
  reference: Column,
  current: Column,
  forcedType?: "numeric" | "categorical",
): ColumnPair {
  if (forcedType === "numeric" && (reference.kind === "categorical" || current.kind === "categorical")) {
    const refValues = numericValues(reference);
    const curValues = numericValues(current);
    if (typeof refValues === "string" || typeof curValues === "string") {
      const label = typeof refValues === "string" ? refValues : curValues;
      return categorical(reference, current, [
        `the model config says numeric, but "${label}" is not a number: compared as categories`,
      ]);
    }
    return {
      type: "numeric",
      reference: refValues,
      current: curValues,
      notes: ["read as numbers, as the model config says"],
    };
  }
  if (reference.kind === "numeric" && current.kind === "numeric" && forcedType !== "categorical") {
    return { type: "numeric", reference: reference.values, current: current.values, notes: [] };
  }
  const notes: string[] = [];
  if (reference.kind !== current.kind) {
    const numericSide = reference.kind === "numeric" ? "the reference" : "the current data";
    const categoricalSide = reference.kind === "numeric" ? "the current data" : "the reference";
    notes.push(
      `numeric in ${numericSide} but categorical in ${categoricalSide}: compared as categories (strings)`,
    );
  } else if (forcedType === "categorical" && reference.kind === "numeric") {
    notes.push("compared as categories, as the model config says");
  }
  return categorical(reference, current, notes);
}

function categorical(reference: Column, current: Column, notes: string[]): ColumnPair {
  return {
    type: "categorical",
    reference: countCategories(reference),
    current: countCategories(current),
    notes,
  };
}

/** The column as numbers, or the first label that is not one. */
function numericValues(column: Column): Float64Array | string {
  if (column.kind === "numeric") return column.values;
  const parsed = parseDictionary(column);
  if (typeof parsed === "string") return parsed;
  return Float64Array.from(column.codes, (code) => (code < 0 ? Number.NaN : (parsed[code] as number)));
}

/** Each dictionary label as a number (the empty label as missing), or the first label that is not one. */
function parseDictionary(column: CategoricalColumn): Float64Array | string {
  const parsed = new Float64Array(column.dictionary.length);
  for (const [code, label] of column.dictionary.entries()) {
    const value = label.trim() === "" ? Number.NaN : Number(label);
    if (Number.isNaN(value) && label.trim() !== "") return label;
    parsed[code] = value;
  }
  return parsed;
}
