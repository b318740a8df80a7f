import type { LatencyReport } from "#shared/schemas/performance-metrics";
import type { PredictionRecord } from "#shared/schemas/prediction-record";
import { quantileSorted } from "#shared/stats/quantile";
import { notApplicable } from "./metric-value.ts";
import { mergeSorted } from "./sorted-merge.ts";

export type LatencyRecord = Pick<PredictionRecord, "latencyMs" | "error">;

/**
 * Counts and every latency, sorted: exact percentiles need the whole sample (a sketch would only bound them),
 * and sorted arrays merge in one pass ({@link mergeLatencyPartials}). Memory is one double per timed record.
 */
export interface LatencyPartial {
  readonly records: number;
  readonly errors: number;
  /** `latencyMs` of the records that logged it, ascending. */
  readonly latencies: Float64Array;
}

/**
 * The partial result of one partition's records.
 *
 * @example
 * finishLatency(latencyPartial([{ latencyMs: 12 }, { latencyMs: 30, error: true }]));
 */
export function latencyPartial(records: Iterable<LatencyRecord>): LatencyPartial {
  const latencies: number[] = [];
  let count = 0;
  let errors = 0;
  for (const record of records) {
    count++;
    if (record.error === true) errors++;
    if (record.latencyMs !== undefined) latencies.push(record.latencyMs);
  }
  return { records: count, errors, latencies: Float64Array.from(latencies).sort() };
}

/** The partial result of both partitions' records, exactly as if they had been one; neither input changes. */
export function mergeLatencyPartials(a: LatencyPartial, b: LatencyPartial): LatencyPartial {
  return {
    records: a.records + b.records,
    errors: a.errors + b.errors,
    latencies: mergeSorted(a.latencies, b.latencies),
  };
}

/**
 * Latency and traffic of the records behind a partial result: the record count, the error rate (the share of
 * records with `error: true`), and the exact p50, p95 and p99 of `latencyMs` over the records that logged it,
 * errors included, by numpy's default linear interpolation, `numpy.quantile(latencies, [0.5, 0.95, 0.99])`
 * (see {@link quantileSorted}).
 */
export function finishLatency(partial: LatencyPartial): LatencyReport {
  const { records, errors, latencies } = partial;
  const untimed = () => notApplicable("no record in the window logged latencyMs");
  const percentile = (q: number) => (latencies.length > 0 ? quantileSorted(latencies, q) : untimed());
  return {
    records,
    errors,
    errorRate: records > 0 ? errors / records : notApplicable("no record in the window"),
    timed: latencies.length,
    p50: percentile(0.5),
    p95: percentile(0.95),
    p99: percentile(0.99),
  };
}
