import type { CategoricalColumn, Column, NumericColumn } from "#shared/drift/dataset";
import { sortColumn } from "#shared/drift/sort-column";
import type { FeatureHistogram, HistogramBin } from "#shared/schemas/distributions";

export type { FeatureHistogram } from "#shared/schemas/distributions";

/** Equal-width bins for a continuous feature: enough to show a shape, few enough to read. */
const NUMERIC_BINS = 24;
/** An integer feature spanning at most this many values gets one bin per value (hours, weekdays). */
const MAX_INTEGER_BINS = 40;
/** Categories shown as bars; the rest are summed up in `others`. */
const TOP_CATEGORIES = 15;
/** The numeric range shown is the 1st to 99th percentile of either sample, so a far tail cannot squash the rest. */
const TAIL = 0.01;

/**
 * The reference-vs-current histogram of one feature, for the HTML report and the dashboard. Numeric features share bins
 * across both samples (one per value for small integer ranges, else equal-width bins between the 1st
 * and 99th percentiles, the outer bins taking the tails); categorical features show the shares of the
 * 15 most common categories, compared by their text, and sum up the rest. Missing values are left
 * out (the report gives their rates).
 *
 * @example
 * featureHistogram(
 *   { kind: "categorical", codes: Int32Array.of(0, 1, 1), dictionary: ["a", "b"] },
 *   { kind: "categorical", codes: Int32Array.of(0, 0), dictionary: ["a"] },
 * ); // { kind: "categorical", bins: [{ label: "a", reference: 1/3, current: 1 }, { label: "b", reference: 2/3, current: 0 }] }
 */
export function featureHistogram(reference: Column, current: Column): FeatureHistogram {
  if (reference.kind === "numeric" && current.kind === "numeric") {
    return { kind: "numeric", bins: numericBins(presentSorted(reference), presentSorted(current)) };
  }
  if (reference.kind === "categorical" && current.kind === "categorical") {
    return categoricalHistogram(reference, current);
  }
  throw new Error("a feature must have the same type in both samples");
}

const presentSorted = (column: NumericColumn): Float64Array => sortColumn(column.values).sorted;

function numericBins(reference: Float64Array, current: Float64Array): HistogramBin[] {
  const samples = [reference, current].filter((sample) => sample.length > 0);
  if (samples.length === 0) return [];
  const min = Math.min(...samples.map((sample) => sample[0] as number));
  const max = Math.max(...samples.map((sample) => sample[sample.length - 1] as number));
  const integers = samples.every(isIntegerSample);
  if (integers && max - min < MAX_INTEGER_BINS) {
    const edges = Array.from({ length: max - min + 1 }, (_, k) => min + k);
    return countBins(edges, reference, current, (k) => String(edges[k]));
  }
  let low = Math.min(...samples.map((sample) => percentile(sample, TAIL)));
  let high = Math.max(...samples.map((sample) => percentile(sample, 1 - TAIL)));
  if (!(high > low)) [low, high] = [min, max];
  if (!(high > low)) return countBins([min], reference, current, () => formatEdge(min));
  const width = (high - low) / NUMERIC_BINS;
  const edges = Array.from({ length: NUMERIC_BINS }, (_, k) => low + k * width);
  return countBins(edges, reference, current, (k) => {
    if (k === 0 && min < low) return `< ${formatEdge(edges[1] as number)}`;
    if (k === NUMERIC_BINS - 1 && max > high) return `≥ ${formatEdge(edges[k] as number)}`;
    return `${formatEdge(edges[k] as number)} – ${formatEdge((edges[k + 1] ?? high) as number)}`;
  });
}

/** Bins start at `edges[k]` and run to the next edge; values below the first edge go to the first bin. */
function countBins(
  edges: number[],
  reference: Float64Array,
  current: Float64Array,
  label: (k: number) => string,
): HistogramBin[] {
  const shares = [reference, current].map((sorted) => {
    const counts = new Float64Array(edges.length);
    let bin = 0;
    for (const value of sorted) {
      while (bin + 1 < edges.length && value >= (edges[bin + 1] as number)) bin++;
      counts[bin] = (counts[bin] as number) + 1;
    }
    return counts.map((count) => (sorted.length > 0 ? count / sorted.length : 0));
  });
  return edges.map((_, k) => ({
    label: label(k),
    reference: shares[0]?.[k] ?? 0,
    current: shares[1]?.[k] ?? 0,
  }));
}

/** Nearest-rank percentile of a sorted, non-empty sample (only the display range depends on it). */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.round(p * (sorted.length - 1))] as number;
}

function isIntegerSample(sorted: Float64Array): boolean {
  for (const value of sorted) if (!Number.isInteger(value)) return false;
  return true;
}

function formatEdge(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

function categoricalHistogram(reference: CategoricalColumn, current: CategoricalColumn): FeatureHistogram {
  const referenceShares = categoryShares(reference);
  const currentShares = categoryShares(current);
  const categories = [...new Set([...referenceShares.keys(), ...currentShares.keys()])];
  const bins = categories
    .map((label) => ({
      label,
      reference: referenceShares.get(label) ?? 0,
      current: currentShares.get(label) ?? 0,
    }))
    .sort((a, b) => Math.max(b.reference, b.current) - Math.max(a.reference, a.current));
  if (bins.length <= TOP_CATEGORIES) return { kind: "categorical", bins };
  const rest = bins.slice(TOP_CATEGORIES);
  return {
    kind: "categorical",
    bins: bins.slice(0, TOP_CATEGORIES),
    others: {
      categories: rest.length,
      reference: rest.reduce((sum, bin) => sum + bin.reference, 0),
      current: rest.reduce((sum, bin) => sum + bin.current, 0),
    },
  };
}

/** Category text -> share of the column's non-missing values. */
function categoryShares(column: CategoricalColumn): Map<string, number> {
  const counts = new Float64Array(column.dictionary.length);
  let present = 0;
  for (const code of column.codes) {
    if (code >= 0) {
      counts[code] = (counts[code] as number) + 1;
      present++;
    }
  }
  const shares = new Map<string, number>();
  column.dictionary.forEach((label, code) => {
    const count = counts[code] as number;
    if (count > 0) shares.set(label, count / present);
  });
  return shares;
}
