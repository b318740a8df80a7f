import type { Alert, AlertState } from "#shared/schemas/alert";
import type { CheckResult } from "#shared/schemas/check-result";
import { alertSeveritySchema } from "#shared/schemas/model-config";
import type { NotApplicable } from "#shared/schemas/performance-metrics";
import type { MetricFamily, Sample } from "./exposition.ts";

/** What the endpoint knows of one model: its newest check (absent before the first) and its alerts. */
export interface ModelSnapshot {
  modelId: string;
  latest?: CheckResult;
  alerts: readonly Alert[];
}

interface Gauge {
  name: string;
  help: string;
  samples: (snapshot: ModelSnapshot) => Sample[];
}

// Prometheus reads NaN as a value, so a series that is NaN for "not computed" would plot and alert
// as a number; an absent series is what PromQL treats as "no data".
const ABSENT_WHEN_NOT_COMPUTED = "Absent while the latest check could not compute it";

const LATENCY_QUANTILES = [
  ["0.5", "p50"],
  ["0.95", "p95"],
  ["0.99", "p99"],
] as const;

const numeric = (metric: number | NotApplicable): number | null =>
  typeof metric === "number" ? metric : null;

/** One sample of a gauge read from the latest check, none before the first check or for a null value. */
function fromCheck(read: (check: CheckResult) => number | null): (snapshot: ModelSnapshot) => Sample[] {
  return ({ modelId, latest }) => {
    const value = latest ? read(latest) : null;
    return value === null ? [] : [{ labels: { model: modelId }, value }];
  };
}

/** Per severity, how many of the model's alerts are in `state`: 0 included, so "none" is a value. */
function alertsIn(state: AlertState): (snapshot: ModelSnapshot) => Sample[] {
  return ({ modelId, alerts }) =>
    alertSeveritySchema.options.map((severity) => ({
      labels: { model: modelId, severity },
      value: alerts.filter((alert) => alert.state === state && alert.rule.severity === severity).length,
    }));
}

/** Every gauge of `GET /metrics`, in the order the exposition lists them. */
const GAUGES: readonly Gauge[] = [
  {
    name: "driftwatch_rows",
    help: "Predictions in the window of the model's latest check.",
    samples: fromCheck((check) => check.rows),
  },
  {
    name: "driftwatch_check_timestamp_seconds",
    help: "End of the window of the model's latest check, in seconds since the Unix epoch.",
    samples: fromCheck((check) => Date.parse(check.window.to) / 1000),
  },
  {
    name: "driftwatch_drifted_share",
    help: `Share (0-1) of the model's features the latest check flagged as drifted. ${ABSENT_WHEN_NOT_COMPUTED} (no baseline, too few rows).`,
    samples: fromCheck((check) => check.metrics["drift.share"] ?? null),
  },
  {
    name: "driftwatch_feature_drift_score",
    help: `Population stability index (PSI) of each feature in the latest check against the baseline. ${ABSENT_WHEN_NOT_COMPUTED} (no baseline, too few rows, or no PSI for the feature).`,
    samples: ({ modelId, latest }) =>
      Object.entries(latest?.drift.featureScores ?? {})
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([feature, value]) => ({ labels: { model: modelId, feature }, value })),
  },
  {
    name: "driftwatch_prediction_psi",
    help: `Population stability index (PSI) of the model's predictions in the latest check against the baseline. ${ABSENT_WHEN_NOT_COMPUTED} (no baseline, too few rows).`,
    samples: fromCheck((check) => check.metrics["prediction.psi"] ?? null),
  },
  {
    name: "driftwatch_performance_drop",
    help: `Largest relative drop of a performance metric in the latest check against the reference period. ${ABSENT_WHEN_NOT_COMPUTED} (too few labels yet).`,
    samples: fromCheck((check) => check.metrics["performance.drop"] ?? null),
  },
  {
    name: "driftwatch_estimated_accuracy",
    help: `Accuracy (0-1) estimated from calibrated confidence for the latest check's window, before labels arrive. ${ABSENT_WHEN_NOT_COMPUTED} (not a classifier, no probabilities or no calibration).`,
    samples: fromCheck((check) => check.metrics["performance.estimatedAccuracy"] ?? null),
  },
  {
    name: "driftwatch_latency_ms",
    help: `Latency quantiles in milliseconds over the latest check's window. ${ABSENT_WHEN_NOT_COMPUTED} (no record logged latencyMs).`,
    samples: ({ modelId, latest }) =>
      LATENCY_QUANTILES.flatMap(([quantile, field]) => {
        const value = latest ? numeric(latest.latency[field]) : null;
        return value === null ? [] : [{ labels: { model: modelId, quantile }, value }];
      }),
  },
  {
    name: "driftwatch_error_rate",
    help: `Share (0-1) of the latest check's records logged with error: true. ${ABSENT_WHEN_NOT_COMPUTED} (no records).`,
    samples: fromCheck((check) => numeric(check.latency.errorRate)),
  },
  {
    name: "driftwatch_volume_zscore",
    help: `Z-score of the latest check's row count against the trailing windows' counts. ${ABSENT_WHEN_NOT_COMPUTED} (fewer than two trailing windows, or any change from perfectly steady counts).`,
    samples: fromCheck((check) => numeric(check.traffic.zScore)),
  },
  {
    name: "driftwatch_alerts_firing",
    help: "The model's alerts firing and not acknowledged, by severity.",
    samples: alertsIn("firing"),
  },
  {
    name: "driftwatch_alerts_acknowledged",
    help: "The model's alerts acknowledged and not yet resolved, by severity.",
    samples: alertsIn("acknowledged"),
  },
];

/** The names of every metric family `/metrics` can emit, in order (the Grafana dashboard is tested against them). */
export const modelGaugeNames: readonly string[] = GAUGES.map((gauge) => gauge.name);

/** The gauges of every model, each family listing the models in the order given. */
export function modelGauges(snapshots: readonly ModelSnapshot[]): MetricFamily[] {
  return GAUGES.map((gauge) => ({
    name: gauge.name,
    help: gauge.help,
    type: "gauge",
    samples: snapshots.flatMap(gauge.samples),
  }));
}
