import { z } from "zod";

/** One statistic's outcome; a test that cannot apply says why instead of reporting NaN. */
export const testResultSchema = z.union([
  z.strictObject({
    statistic: z.number().optional(),
    pValue: z.number().min(0).max(1).optional(),
    value: z.number().optional(),
    normed: z.number().optional(),
    dof: z.number().int().optional(),
  }),
  z.strictObject({ notApplicable: z.string() }),
]);

export const severitySchema = z.enum(["none", "low", "medium", "high"]);

/** The drift verdict of one feature (or of the model's predictions), CONTRACT §4. */
export const featureReportSchema = z.object({
  type: z.enum(["numeric", "categorical"]),
  missing: z.object({ reference: z.number().min(0).max(1), current: z.number().min(0).max(1) }),
  /** The statistic that decided `drifted`. */
  method: z.string(),
  statistic: z.number().optional(),
  pValue: z.number().min(0).max(1).optional(),
  /**
   * The feature's p-value after the default policy's corrections for testing many features (and several
   * tests per feature); the policy compares this one, not `pValue`, with `threshold`.
   */
  adjustedPValue: z.number().min(0).max(1).optional(),
  threshold: z.number(),
  drifted: z.boolean(),
  severity: severitySchema,
  /** Why the feature was or was not flagged, in a sentence a user can check. */
  reason: z.string().optional(),
  /** The effect size that decided whether a significant change is large enough to matter. */
  effect: z.object({ measure: z.string(), value: z.number(), threshold: z.number() }).optional(),
  /** How the columns were read (type mismatch, forced type) and conditions such as constant or empty. */
  notes: z.array(z.string()).optional(),
  tests: z.record(z.string(), testResultSchema),
  newCategories: z.object({ values: z.array(z.string()), share: z.number().min(0).max(1) }).optional(),
});

export const driftReportSchema = z.object({
  modelId: z.string(),
  window: z.object({ from: z.string(), to: z.string() }).nullable(),
  reference: z.object({ rows: z.int().nonnegative(), version: z.string().optional() }),
  current: z.object({ rows: z.int().nonnegative() }),
  drifted: z.boolean(),
  driftedFeatures: z.array(z.string()),
  share: z.number().min(0).max(1),
  features: z.record(z.string(), featureReportSchema),
  prediction: featureReportSchema.optional(),
  /** How the dataset-level verdict was reached (policy, error-rate control, cut-offs). */
  decision: z.object({ policy: z.string(), description: z.string() }).catchall(z.unknown()),
});

export type TestResult = z.infer<typeof testResultSchema>;
export type Severity = z.infer<typeof severitySchema>;
export type FeatureReport = z.infer<typeof featureReportSchema>;
export type DriftReport = z.infer<typeof driftReportSchema>;
