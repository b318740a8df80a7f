import type { EvaluatedRule } from "#shared/schemas/alert";
import type { AlertMetric, AlertRule, ModelConfig } from "#shared/schemas/model-config";

/** How far back past its threshold a value must come before a firing alert clears, as a share of it. */
export const RESOLVE_MARGIN = 0.1;

/**
 * The rules a model without `alerts.rules` gets: drifted share, prediction PSI at the usual 0.1 and
 * 0.25 bands, the performance check's own drop threshold, the latency SLOs, a 5% error rate, and
 * two empty windows in a row.
 */
export function defaultRules(config: Pick<ModelConfig, "performance" | "latency">): AlertRule[] {
  return [
    {
      name: "drift-share",
      metric: "drift.share",
      op: ">",
      threshold: 0.2,
      severity: "warning",
      for: 1,
      action: "notify",
    },
    {
      name: "prediction-psi",
      metric: "prediction.psi",
      op: ">",
      threshold: 0.1,
      severity: "warning",
      for: 1,
      action: "notify",
    },
    {
      name: "prediction-psi-major",
      metric: "prediction.psi",
      op: ">",
      threshold: 0.25,
      severity: "critical",
      for: 1,
      action: "notify",
    },
    {
      name: "performance-drop",
      metric: "performance.drop",
      op: ">",
      threshold: config.performance.maxRelativeDrop,
      severity: "warning",
      for: 1,
      action: "notify",
    },
    {
      name: "latency-p95",
      metric: "latency.p95",
      op: ">",
      threshold: config.latency.p95Ms,
      severity: "warning",
      for: 1,
      action: "notify",
    },
    {
      name: "latency-p99",
      metric: "latency.p99",
      op: ">",
      threshold: config.latency.p99Ms,
      severity: "critical",
      for: 1,
      action: "notify",
    },
    {
      name: "error-rate",
      metric: "errorRate",
      op: ">",
      threshold: 0.05,
      severity: "critical",
      for: 1,
      action: "notify",
    },
    {
      name: "no-data",
      metric: "noData",
      op: ">",
      threshold: 0.5,
      severity: "warning",
      for: 2,
      action: "notify",
    },
  ];
}

/** A model's rules with every default filled in: its own, or the defaults when it names none. */
export function rulesOf(config: Pick<ModelConfig, "alerts" | "performance" | "latency">): EvaluatedRule[] {
  return (config.alerts.rules ?? defaultRules(config)).map(evaluatedRule);
}

function evaluatedRule(rule: AlertRule): EvaluatedRule {
  const op = rule.op ?? ">";
  const margin = Math.abs(rule.threshold) * RESOLVE_MARGIN;
  return {
    name: rule.name ?? `${rule.metric} ${op} ${rule.threshold}`,
    metric: rule.metric,
    op,
    threshold: rule.threshold,
    // Rounded so that 0.8 + 0.08 reads 0.88 in messages, not 0.8800000000000001.
    resolveThreshold:
      rule.resolveThreshold ??
      Number((op === ">" ? rule.threshold - margin : rule.threshold + margin).toPrecision(12)),
    severity: rule.severity,
    for: rule.for ?? 1,
    action: rule.action ?? "notify",
  };
}

/** Metrics about the model's data: meaningless while it receives none, so `noData` inhibits their alerts. */
const DATA_METRICS: ReadonlySet<AlertMetric> = new Set([
  "drift.share",
  "drift.maxPsi",
  "prediction.psi",
  "performance.drop",
  "performance.estimatedAccuracy",
]);

export const isInhibitedByNoData = (rule: EvaluatedRule): boolean => DATA_METRICS.has(rule.metric);

/** Whether a value breaches the rule, and whether it is back far enough to clear a firing alert. */
export function breaches(rule: EvaluatedRule, value: number): boolean {
  return rule.op === ">" ? value > rule.threshold : value < rule.threshold;
}

export function clears(rule: EvaluatedRule, value: number): boolean {
  return rule.op === ">" ? value <= rule.resolveThreshold : value >= rule.resolveThreshold;
}
