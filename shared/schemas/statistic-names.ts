import { z } from "zod";

/** The statistics of CONTRACT §5 a feature's drift decision may be based on. */
export const numericMethods = [
  "ks",
  "cvm",
  "ad",
  "mannwhitney",
  "ttest",
  "wasserstein",
  "energy",
  "psi",
  "kl",
  "js",
  "hellinger",
  "tvd",
] as const;

export const categoricalMethods = [
  "chi2",
  "gtest",
  "ztest",
  "fisher",
  "psi",
  "kl",
  "js",
  "hellinger",
  "tvd",
] as const;

export const driftMethodSchema = z.enum([...new Set([...numericMethods, ...categoricalMethods])] as [
  string,
  ...string[],
]);

export type DriftMethod = z.infer<typeof driftMethodSchema>;
