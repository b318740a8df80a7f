import type { LatencyReport } from "#shared/schemas/performance-metrics";
import { quantileSorted } from "#shared/stats/quantile";
import { notApplicable } from "./metric-value.ts";

/**
 * Counts and every latency, sorted: exact percentiles need the whole sample (a sketch would only bound them).
 * A check takes them from its window's summary, whose latency column merges across groups like any other.
 * Memory is one double per timed record.
 */
export interface LatencyPartial {
  readonly records: number;
  readonly errors: number;
  /** `latencyMs` of the records that logged it, ascending. */
  readonly latencies: Float64Array;
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
