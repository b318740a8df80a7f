import { z } from "zod";
import { checkWindowSchema } from "./check-window.ts";

/** One bar pair: the share of each sample's non-missing values that fall in the bin. */
export const histogramBinSchema = z.object({ label: z.string(), reference: z.number(), current: z.number() });

/** A feature's reference-vs-current histogram (numeric bins, or the most common categories). */
export const featureHistogramSchema = z.object({
  kind: z.enum(["numeric", "categorical"]),
  bins: z.array(histogramBinSchema),
  /** The categories beyond the most common ones, left out of the chart so they cannot dwarf it. */
  others: z.object({ categories: z.int(), reference: z.number(), current: z.number() }).optional(),
});

/**
 * What the dashboard draws for one check: every compared feature's and the prediction's histogram,
 * stored beside the drift report (`reports/model=<id>/distributions/<time>.json`).
 */
export const checkDistributionsSchema = z.object({
  modelId: z.string(),
  checkId: z.string(),
  window: checkWindowSchema,
  baselineVersion: z.int().positive(),
  features: z.record(z.string(), featureHistogramSchema),
  prediction: featureHistogramSchema.optional(),
});

export type HistogramBin = z.infer<typeof histogramBinSchema>;
export type FeatureHistogram = z.infer<typeof featureHistogramSchema>;
export type CheckDistributions = z.infer<typeof checkDistributionsSchema>;
