import { z } from "zod";
import { driftMethodSchema } from "./statistic-names.ts";

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

/** EventBridge schedule syntax; EventBridge runs nothing more often than once a minute. */
const scheduleSchema = z
  .string()
  .refine((schedule) => CRON.test(schedule) || Number(RATE.exec(schedule)?.[1] ?? 0) >= 1, {
    message: 'must be EventBridge syntax, e.g. "rate(1 hour)" or "cron(0 * * * ? *)", at least 1 minute',
  });

/** An ISO-8601 duration of fixed length: months and years vary, so a window or period is never given in them. */
const fixedDurationSchema = z.iso.duration().refine((duration) => !/^P[^T]*[YM]/.test(duration), {
  message: "must be in weeks, days, hours, minutes or seconds (months and years vary in length)",
});

/**
 * The metrics the performance check can compare between its periods, as the performance reports name
 * them: `f1.macro` is the macro mean of the per-class F1 scores, `rocAuc` the binary area (or the
 * one-vs-rest macro mean for more classes), `logLoss`, `mae`, `rmse` and `mape` are losses.
 */
export const TASK_METRICS = {
  classification: [
    "accuracy",
    "precision.macro",
    "recall.macro",
    "f1.macro",
    "precision.weighted",
    "recall.weighted",
    "f1.weighted",
    "rocAuc",
    "logLoss",
  ],
  regression: ["mae", "rmse", "mape", "r2"],
} as const;

/** What the check compares when `performance.metrics` is not given. */
export const DEFAULT_PERFORMANCE_METRICS = {
  classification: ["accuracy", "f1.macro", "rocAuc", "logLoss"],
  regression: ["mae", "rmse", "r2"],
} as const satisfies { [Task in keyof typeof TASK_METRICS]: readonly (typeof TASK_METRICS)[Task][number][] };

export const performanceMetricSchema = z.enum([...TASK_METRICS.classification, ...TASK_METRICS.regression]);

/** A metric by name (held to `maxRelativeDrop`), or with a threshold of its own. */
const performanceMetricEntrySchema = z.union([
  performanceMetricSchema,
  z.strictObject({ metric: performanceMetricSchema, maxRelativeDrop: z.number().nonnegative() }),
]);

/**
 * The performance check: the current period (ending at the check's window end) against the reference
 * period just before it, by prediction receipt time; a metric has dropped when its relative drop
 * exceeds its threshold.
 */
const performanceConfigSchema = z.strictObject({
  metrics: z
    .array(performanceMetricEntrySchema)
    .min(1, "must name at least 1 metric")
    .refine(
      (entries) => new Set(entries.map(metricNameOf)).size === entries.length,
      "must name each metric once",
    )
    .optional(),
  maxRelativeDrop: z.number().min(0).max(1).default(0.05),
  currentPeriod: fixedDurationSchema.default("P7D"),
  referencePeriod: fixedDurationSchema.default("P30D"),
});

const featureSchema = z.strictObject({
  type: z.enum(["numeric", "categorical"]),
  method: driftMethodSchema.optional(),
  threshold: z.number().positive().optional(),
});

export const alertMetricSchema = z.enum([
  "drift.share",
  "drift.maxPsi",
  "prediction.psi",
  "performance.drop",
  "performance.estimatedAccuracy",
  "latency.p95",
  "latency.p99",
  "errorRate",
  "volume.z",
  "noData",
]);

export const alertSeveritySchema = z.enum(["info", "warning", "critical", "emergency"]);
export const alertActionSchema = z.enum(["notify", "rollback", "retrain"]);

/**
 * A rule over one check metric. `resolveThreshold` (an addition to the contract) is where a firing
 * alert clears; without it, 10% of the threshold back on the healthy side, so a value hovering at the
 * threshold does not flap.
 */
export const alertRuleSchema = z
  .strictObject({
    name: z.string().min(1).max(128).optional(),
    metric: alertMetricSchema,
    op: z.enum([">", "<"]).default(">"),
    threshold: z.number(),
    resolveThreshold: z.number().optional(),
    severity: alertSeveritySchema,
    for: z.int().min(1).default(1),
    action: alertActionSchema.default("notify"),
  })
  .refine(
    (rule) =>
      rule.resolveThreshold === undefined ||
      (rule.op === ">" ? rule.resolveThreshold <= rule.threshold : rule.resolveThreshold >= rule.threshold),
    {
      path: ["resolveThreshold"],
      message: "must lie on the healthy side of the threshold (at or below it for >, at or above it for <)",
    },
  );

/** Where a retraining pipeline is started (an addition to the contract): a webhook; on AWS also an EventBridge event. */
const retrainSchema = z.strictObject({ webhook: z.url({ protocol: /^https?$/ }).optional() });

export const rollbackSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("webhook"), url: z.url({ protocol: /^https?$/ }) }),
  z.strictObject({
    type: z.literal("lambda-alias"),
    functionName: z.string().min(1),
    alias: z.string().min(1),
  }),
  z.strictObject({ type: z.literal("ssm-parameter"), name: z.string().min(1), value: z.string() }),
  z.strictObject({
    type: z.literal("sagemaker-variants"),
    endpointName: z.string().min(1),
    weights: z.record(z.string().min(1), z.number().nonnegative()),
  }),
]);

const alertsSchema = z.strictObject({
  cooldownSeconds: z.int().nonnegative().default(3600),
  rules: z.array(alertRuleSchema).optional(),
  rollback: rollbackSchema.optional(),
  retrain: retrainSchema.optional(),
  emails: z.array(z.email()).optional(),
});

/** A model's monitoring configuration (CONTRACT §2), with the documented defaults filled in. */
export const modelConfigSchema = z
  .strictObject({
    features: z.record(z.string().min(1).max(128), featureSchema).optional(),
    task: z.enum(["classification", "regression"]),
    schedule: scheduleSchema.default("rate(1 hour)"),
    window: fixedDurationSchema.default("PT1H"),
    minSamples: z.int().min(1).default(100),
    performance: performanceConfigSchema.default({
      maxRelativeDrop: 0.05,
      currentPeriod: "P7D",
      referencePeriod: "P30D",
    }),
    latency: z
      .strictObject({ p95Ms: z.number().positive().default(100), p99Ms: z.number().positive().default(500) })
      .default({ p95Ms: 100, p99Ms: 500 }),
    alerts: alertsSchema.default({ cooldownSeconds: 3600 }),
    /** With `fromFirstWindow`, the first check with `minSamples` rows takes its window as the baseline. */
    baseline: z
      .strictObject({ fromFirstWindow: z.boolean().default(false) })
      .default({ fromFirstWindow: false }),
  })
  .superRefine((config, context) => {
    const allowed: readonly string[] = TASK_METRICS[config.task];
    config.performance.metrics?.forEach((entry, index) => {
      const name = metricNameOf(entry);
      if (!allowed.includes(name)) {
        context.addIssue({
          code: "custom",
          path: ["performance", "metrics", index],
          message: `"${name}" is not a ${config.task} metric; choose from ${allowed.join(", ")}`,
        });
      }
    });
  })
  .transform((config) => ({
    ...config,
    performance: {
      ...config.performance,
      metrics: config.performance.metrics ?? [...DEFAULT_PERFORMANCE_METRICS[config.task]],
    },
  }));

export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertMetric = z.infer<typeof alertMetricSchema>;
export type AlertSeverity = z.infer<typeof alertSeveritySchema>;
export type AlertAction = z.infer<typeof alertActionSchema>;
export type RollbackTarget = z.infer<typeof rollbackSchema>;
export type AlertsConfig = ModelConfig["alerts"];
export type PerformanceMetric = z.infer<typeof performanceMetricSchema>;
export type PerformanceMetricEntry = z.infer<typeof performanceMetricEntrySchema>;
export type PerformanceConfig = z.infer<typeof performanceConfigSchema>;

/**
 * A model's performance settings with every default filled in, also for a config stored before a
 * setting existed (stored configs are not re-parsed when the schema gains a field).
 */
export function performanceSettings(config: {
  task: ModelConfig["task"];
  performance?: Partial<PerformanceConfig>;
}): Required<PerformanceConfig> {
  const performance = performanceConfigSchema.parse(config.performance ?? {});
  return {
    ...performance,
    metrics: performance.metrics ?? [...DEFAULT_PERFORMANCE_METRICS[config.task]],
  };
}

/** The metric an entry of `performance.metrics` names. */
export function metricNameOf(entry: PerformanceMetricEntry): PerformanceMetric {
  return typeof entry === "string" ? entry : entry.metric;
}
