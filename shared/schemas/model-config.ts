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

const alertRuleSchema = z.strictObject({
  name: z.string().min(1).max(128).optional(),
  metric: alertMetricSchema,
  op: z.enum([">", "<"]).default(">"),
  threshold: z.number(),
  severity: z.enum(["info", "warning", "critical", "emergency"]),
  for: z.int().min(1).default(1),
  action: z.enum(["notify", "rollback", "retrain"]).default("notify"),
});

const rollbackSchema = z.discriminatedUnion("type", [
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
  emails: z.array(z.email()).optional(),
});

/** A model's monitoring configuration (CONTRACT §2), with the documented defaults filled in. */
export const modelConfigSchema = z.strictObject({
  features: z.record(z.string().min(1).max(128), featureSchema).optional(),
  task: z.enum(["classification", "regression"]),
  schedule: scheduleSchema.default("rate(1 hour)"),
  window: z.iso.duration().default("PT1H"),
  minSamples: z.int().min(1).default(100),
  performance: z
    .strictObject({
      metrics: z.array(z.string().min(1)).optional(),
      maxRelativeDrop: z.number().min(0).max(1).default(0.05),
    })
    .default({ maxRelativeDrop: 0.05 }),
  latency: z
    .strictObject({ p95Ms: z.number().positive().default(100), p99Ms: z.number().positive().default(500) })
    .default({ p95Ms: 100, p99Ms: 500 }),
  alerts: alertsSchema.default({ cooldownSeconds: 3600 }),
});

export type ModelConfig = z.infer<typeof modelConfigSchema>;
