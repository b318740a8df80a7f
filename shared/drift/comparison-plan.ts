import { categoricalEvidence } from "./categorical-feature.ts";
import { type ColumnPair, pairColumns } from "./column-pair.ts";
import type { Column, Dataset } from "./dataset.ts";
import type { FeatureEvidence } from "./feature-evidence.ts";
import { numericEvidence } from "./numeric-feature.ts";
import type { FeatureOverride } from "./override.ts";

/** What to compare and how to label the report; everything is optional. */
export interface CompareOptions {
  /** The model the report is about; "adhoc" for a one-off comparison such as `driftwatch compare`. */
  modelId?: string;
  /** The time window the current data covers; null (the default) when it is not a window of logs. */
  window?: { from: string; to: string } | null;
  /** Version of the reference (baseline) data set, reported as `reference.version`. */
  referenceVersion?: string;
  /** The model config's `features`: a forced type and optionally a drift rule per feature. */
  features?: Readonly<Record<string, FeatureOverride>>;
  /**
   * The column holding the model's output, reported as `prediction` rather than as a feature.
   * `type: "categorical"` compares class shares (e.g. a classifier's labels stored as numbers).
   */
  prediction?: { column: string; type?: "numeric" | "categorical" };
}

/** The column pairs to measure: the shared features in the reference's column order, and the prediction. */
export interface ComparisonPlan {
  features: Array<[name: string, pair: ColumnPair]>;
  /** Absent when no prediction column is named, or it is missing from either data set. */
  prediction?: ColumnPair;
}

/**
 * Pairs the columns both data sets share (the prediction column apart), each read the way it will be
 * compared (see `pairColumns`). Measuring a pair, {@link evidenceOf}, is where the time goes; this is
 * the cheap part before it.
 *
 * @example
 * planComparison(reference, current, { prediction: { column: "score" } }).features.map(([name]) => name);
 * // ["age", "income", ...]: the shared columns but "score"
 */
export function planComparison(
  reference: Dataset,
  current: Dataset,
  options: CompareOptions,
): ComparisonPlan {
  const overrides = options.features ?? {};
  const predictionColumn = options.prediction?.column;
  const features: ComparisonPlan["features"] = [];
  for (const [name, column] of reference.columns) {
    const other = current.columns.get(name);
    if (other === undefined || name === predictionColumn) continue;
    features.push([name, pairColumns(column, other, overrides[name]?.type)]);
  }
  const plan: ComparisonPlan = { features };
  if (predictionColumn !== undefined) {
    const referenceColumn: Column | undefined = reference.columns.get(predictionColumn);
    const currentColumn = current.columns.get(predictionColumn);
    if (referenceColumn && currentColumn) {
      plan.prediction = pairColumns(referenceColumn, currentColumn, options.prediction?.type);
    }
  }
  return plan;
}

/**
 * Measures one column pair: every statistic that applies, with the notes on how it was read.
 *
 * @example
 * evidenceOf(pairColumns(referenceColumn, currentColumn)).tests.ks; // { statistic, pValue }
 */
export function evidenceOf(pair: ColumnPair): FeatureEvidence {
  const evidence =
    pair.type === "numeric"
      ? numericEvidence(pair.reference, pair.current)
      : categoricalEvidence(pair.reference, pair.current);
  evidence.notes.unshift(...pair.notes);
  return evidence;
}
