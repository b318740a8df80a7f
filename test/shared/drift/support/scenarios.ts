import type { Column, Dataset } from "#shared/drift/dataset";
import type { Random } from "../../../support/random.ts";

/**
 * The simulated model inputs of the policy scenarios: 20 features, 16 numeric (normal, skewed,
 * heavy-tailed, integer-valued with ties, bimodal, bounded, one with missing values) and 4 categorical
 * (binary to 30 categories, one with missing values). `mean` and `sd` are the population moments, the
 * unit every shift and scale change is expressed in.
 */
type NumericFeature = {
  kind: "numeric";
  name: string;
  draw: (random: Random) => number;
  mean: number;
  sd: number;
  missingRate?: number;
};
type CategoricalFeature = {
  kind: "categorical";
  name: string;
  shares: readonly number[];
  missingRate?: number;
};
export type FeatureSpec = NumericFeature | CategoricalFeature;

const LOGNORMAL = (mu: number, sigma: number) => ({
  draw: (random: Random) => random.lognormal(mu, sigma),
  mean: Math.exp(mu + sigma ** 2 / 2),
  sd: Math.sqrt((Math.exp(sigma ** 2) - 1) * Math.exp(2 * mu + sigma ** 2)),
});

function zipf(categories: number, exponent: number): number[] {
  const weights = Array.from({ length: categories }, (_, k) => 1 / (k + 1) ** exponent);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

export const FEATURES: readonly FeatureSpec[] = [
  { kind: "numeric", name: "normal", draw: (r) => r.normal(), mean: 0, sd: 1 },
  { kind: "numeric", name: "age", draw: (r) => 45 + 12 * r.normal(), mean: 45, sd: 12 },
  { kind: "numeric", name: "amount", draw: (r) => 1000 + 200 * r.normal(), mean: 1000, sd: 200 },
  { kind: "numeric", name: "income", ...LOGNORMAL(0, 1) },
  { kind: "numeric", name: "basket", ...LOGNORMAL(3, 0.5) },
  { kind: "numeric", name: "claims", ...LOGNORMAL(0, 1.5) },
  { kind: "numeric", name: "t3", draw: (r) => r.studentT(3), mean: 0, sd: Math.sqrt(3) },
  { kind: "numeric", name: "t5", draw: (r) => 2 * r.studentT(5), mean: 0, sd: 2 * Math.sqrt(5 / 3) },
  { kind: "numeric", name: "visits", draw: (r) => r.poisson(3), mean: 3, sd: Math.sqrt(3) },
  { kind: "numeric", name: "items", draw: (r) => r.poisson(12), mean: 12, sd: Math.sqrt(12) },
  { kind: "numeric", name: "rating", draw: (r) => r.int(10), mean: 4.5, sd: Math.sqrt(99 / 12) },
  { kind: "numeric", name: "halfsteps", draw: (r) => Math.round(2 * r.normal()) / 2, mean: 0, sd: 1.01 },
  { kind: "numeric", name: "wait", draw: (r) => -Math.log(1 - r.next()), mean: 1, sd: 1 },
  {
    kind: "numeric",
    name: "bimodal",
    draw: (r) => (r.next() < 0.5 ? -2 : 2) + r.normal(),
    mean: 0,
    sd: Math.sqrt(5),
  },
  { kind: "numeric", name: "ratio", draw: (r) => r.next(), mean: 0.5, sd: Math.sqrt(1 / 12) },
  { kind: "numeric", name: "sensor", draw: (r) => 20 + 3 * r.normal(), mean: 20, sd: 3, missingRate: 0.05 },
  { kind: "categorical", name: "member", shares: [0.7, 0.3] },
  { kind: "categorical", name: "channel", shares: [0.4, 0.3, 0.2, 0.1] },
  { kind: "categorical", name: "region", shares: zipf(12, 1) },
  { kind: "categorical", name: "country", shares: zipf(30, 1.1), missingRate: 0.02 },
];

/** A change applied to one feature of the current data. */
export type Change =
  | { kind: "none" }
  | { kind: "shift"; feature: string; sd: number }
  | { kind: "scale"; feature: string; factor: number }
  | { kind: "missing"; feature: string; rate: number }
  | { kind: "move"; feature: string; from: number; to: number; fraction: number }
  | { kind: "newCategory"; feature: string; share: number }
  /** A share of the values multiplied by `factor`: a unit change or a sensor fault in some rows. */
  | { kind: "outliers"; feature: string; fraction: number; factor: number };

/**
 * `copies` of every one of the {@link FEATURES}, named `<name>_<copy>` (five copies: 100 features), for
 * windows as wide as real models' inputs, where the correction across features matters most.
 */
export function widenedFeatures(copies: number): FeatureSpec[] {
  return Array.from({ length: copies }, (_, copy) =>
    FEATURES.map((feature) => ({ ...feature, name: `${feature.name}_${copy}` })),
  ).flat();
}

/**
 * One simulated window: a reference and a current data set of the 20 {@link FEATURES} (or `features`),
 * drawn from the same distributions except for `change`. Categories are labelled "c0", "c1", ...; a new
 * category "new".
 */
export function simulateWindow(
  random: Random,
  sizes: { reference: number; current: number },
  change: Change,
  features: readonly FeatureSpec[] = FEATURES,
): { reference: Dataset; current: Dataset } {
  const reference: Dataset = { rows: sizes.reference, columns: new Map() };
  const current: Dataset = { rows: sizes.current, columns: new Map() };
  for (const feature of features) {
    const target = change.kind !== "none" && change.feature === feature.name ? change : undefined;
    reference.columns.set(feature.name, drawColumn(random, feature, sizes.reference, undefined));
    current.columns.set(feature.name, drawColumn(random, feature, sizes.current, target));
  }
  return { reference, current };
}

function drawColumn(random: Random, feature: FeatureSpec, rows: number, change: Change | undefined): Column {
  const missingRate = change?.kind === "missing" ? change.rate : (feature.missingRate ?? 0);
  if (feature.kind === "numeric") {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let value = feature.draw(random);
      if (change?.kind === "shift") value += change.sd * feature.sd;
      if (change?.kind === "scale") value = feature.mean + change.factor * (value - feature.mean);
      if (change?.kind === "outliers" && random.next() < change.fraction) value *= change.factor;
      values[i] = random.next() < missingRate ? Number.NaN : value;
    }
    return { kind: "numeric", values };
  }
  const dictionary = feature.shares.map((_, k) => `c${k}`);
  const newCode = dictionary.push("new") - 1;
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    let code = random.choice(feature.shares);
    if (change?.kind === "move" && code === change.from && random.next() < change.fraction) code = change.to;
    if (change?.kind === "newCategory" && random.next() < change.share) code = newCode;
    codes[i] = random.next() < missingRate ? -1 : code;
  }
  return { kind: "categorical", codes, dictionary };
}
