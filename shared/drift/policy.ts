/*
 * The default drift policy: a feature drifts when its change is both SIGNIFICANT and MATERIAL.
 *
 * Why not "p < 0.05 per feature", the tutorial rule: with 20 features and nothing changed, one of them
 * passes by chance in 1 - 0.95^20 = 64% of windows, so the alarm is mostly noise. Significance is judged
 * across the features with Benjamini-Hochberg: when nothing changed, the chance of any flag is then at
 * most q however many features there are, and when some did change, at most a share q of the flagged
 * features is expected to be false. BH rather than Bonferroni because a real drift often moves several
 * features at once, and BH then lowers the bar for the others. q = 0.025 rather than the customary 0.05:
 * when nothing changed, BH's chance of a flag is q itself, so 0.05 would spend the whole 5% false-alarm
 * budget (measured on the scenario suite: 5.8% of 300-row windows flagged at q = 0.05, 2.5% at 0.025)
 * and leave no room for tests that are only approximately calibrated, such as asymptotic p-values at 60
 * rows. Halving it costs little power: a material change is usually far past either bar.
 *
 * Why not significance alone: at 100,000 rows a 0.01-standard-deviation shift is significant, and nobody
 * should be paged for it. A change must also be material: a normed Wasserstein distance (the average
 * displacement of the values, in reference standard deviations) or a PSI of at least 0.1 for a numeric
 * feature; a Hellinger distance of at least 0.02 for a categorical one (variance-stabilised, so a quarter
 * of a 5% category's rows moving counts like a tenth of a 20% one's); a missing rate moved by 5 points.
 * These sit between what users call negligible (0.01 sd, 1% wider, half a point of category share: about
 * 0.01, 0.008, < 0.012) and material (0.15 sd and more, 1.6x wider, a quarter of a category's share:
 * 0.15, 0.48, >= 0.02). Evidently's default rule splits the two instead: significance alone, without
 * correction, up to 1,000 rows (where most of its false alarms come from) and distance alone above; and
 * neither sees a change a distance between the non-missing values cannot, such as a jump in missing
 * values, which is why missing rates are tested here in their own right.
 *
 * Why these tests: each feature is probed for each kind of change with the test that finds it best, and
 * the feature's p-value is the smallest of them times their number (Bonferroni within the feature, so a
 * feature counts once in BH however many tests it has). Numeric: Mann-Whitney for a change of location
 * (95% as efficient as the t-test on normal data, far better on heavy tails and skew) and Mood's test for
 * a change of spread, where location and EDF tests are weakest; both are rank tests with tie-corrected
 * variances, so their p-values hold on any shape, integer columns included. And the tail test for a
 * burst of far-out values (a unit change or a sensor fault in a few percent of the rows), which the rank
 * tests barely see: bursts of 3% of a feature's values x100 or x1000, or 5% x10, among 100 features at
 * 1,000 rows were found in 3 of 48 windows without it and 47 of 48 with it, false alarms unchanged
 * (tail-excess.ts). Not Cramér-von Mises: scipy's statistic orders tied values as if distinct, so on an
 * integer column compared at 5,000 against 300 rows its p-value is below 0.001 in every window even
 * with nothing changed. Not KS as a further test: it is conservative under ties and adds little to
 * these for the cost of a larger Bonferroni factor.
 * Categorical: chi-square for changes spread over the categories, and Fisher's exact test per category
 * (Bonferroni over them) for a change concentrated in one, which chi-square dilutes over its degrees of
 * freedom. Both types: Fisher's exact test on the missing rate, which value tests cannot see. Each test
 * is held to the effect size of the change it detects, so a significant missing-rate change is not
 * waved through by an unrelated distance.
 *
 * The data set drifts when any feature does; `share` is the drifted fraction. A feature with a rule in
 * the model config is decided by that rule instead and stays out of the BH family. The prediction is
 * judged alone (a family of one): it answers a different question than the inputs.
 */
import type { TestResult } from "#shared/schemas/drift-report";
import { type FeatureEvidence, testField } from "./feature-evidence.ts";
import { benjaminiHochberg } from "./multiple-testing.ts";
import { format, formatP, withNotes } from "./reason-text.ts";
import { severityOf } from "./severity.ts";
import type { Verdict } from "./verdict.ts";

/** The default policy's parameters, reported in every drift report's `decision`. */
export const DEFAULT_POLICY = {
  name: "significant-and-material",
  falseDiscoveryRate: 0.025,
  material: { normedWasserstein: 0.1, psi: 0.1, hellinger: 0.02, missingRateChange: 0.05, tailExcess: 0.01 },
} as const;

/** An effect size and the value at which the change it measures becomes material. */
interface EffectRule {
  measure: string;
  test: string;
  field: string;
  threshold: number;
}

/** A change the policy looks for: the test that detects it, and the effect sizes that say it matters. */
interface ChangeCheck {
  test: string;
  label: string;
  effects: readonly EffectRule[];
  /** What exactly changed, for the reason, when the test knows more than its p-value. */
  detail?: (evidence: FeatureEvidence) => string | undefined;
}

const { material } = DEFAULT_POLICY;
const NUMERIC_EFFECTS: readonly EffectRule[] = [
  {
    measure: "normed Wasserstein",
    test: "wasserstein",
    field: "normed",
    threshold: material.normedWasserstein,
  },
  { measure: "PSI", test: "psi", field: "value", threshold: material.psi },
];
const CATEGORICAL_EFFECTS: readonly EffectRule[] = [
  { measure: "Hellinger distance", test: "hellinger", field: "value", threshold: material.hellinger },
];
const MISSING_RATE: ChangeCheck = {
  test: "missingRate",
  label: "missing-rate change (Fisher's exact test)",
  effects: [
    {
      measure: "missing-rate change",
      test: "missingRate",
      field: "statistic",
      threshold: material.missingRateChange,
    },
  ],
};
const CHECKS: Record<FeatureEvidence["type"], readonly ChangeCheck[]> = {
  numeric: [
    { test: "mannwhitney", label: "change of location (Mann-Whitney)", effects: NUMERIC_EFFECTS },
    { test: "mood", label: "change of spread (Mood's test)", effects: NUMERIC_EFFECTS },
    {
      test: "tail",
      label: "far-out values (tail test)",
      effects: [
        {
          measure: "excess share of far-out values",
          test: "tail",
          field: "statistic",
          threshold: material.tailExcess,
        },
      ],
      detail: ({ tests }) => {
        const share = testField(tests, "tail", "value");
        const excess = testField(tests, "tail", "statistic");
        return share === undefined || excess === undefined
          ? undefined
          : `${percent(share)} of current values beyond the quartiles ± 3 IQR (reference ${percent(share - excess)})`;
      },
    },
    MISSING_RATE,
  ],
  categorical: [
    { test: "chi2", label: "change of category shares (chi-square)", effects: CATEGORICAL_EFFECTS },
    {
      test: "categoryShift",
      label: "change of one category's share (Fisher's exact test per category)",
      effects: CATEGORICAL_EFFECTS,
      detail: ({ categoryShift: shift }) =>
        shift && `"${shift.category}" ${percent(shift.reference)} -> ${percent(shift.current)}`,
    },
    MISSING_RATE,
  ],
};

/** One applicable check on one feature: its p-value and its largest effect relative to the threshold. */
interface Signal {
  check: ChangeCheck;
  pValue: number;
  statistic?: number;
  effect?: { measure: string; value: number; threshold: number };
}

/**
 * Decides every feature of a family under the default policy: Benjamini-Hochberg at q = 0.025 over the
 * features' Bonferroni-combined p-values, then the materiality test on the significant ones. See the
 * comment at the top of this file for why.
 *
 * @param family features decided together (the data set's features, or the prediction alone)
 * @returns the verdict of each feature, by name, and the BH cut-off the raw p-values were held to
 * @example
 * const { verdicts } = decideByDefaultPolicy(new Map([["x1", numericEvidence(ref, cur)]]));
 * verdicts.get("x1")?.drifted; // true when x1 changed significantly and materially
 */
export function decideByDefaultPolicy(family: ReadonlyMap<string, FeatureEvidence>): {
  verdicts: Map<string, Verdict>;
  tested: number;
  cutoff: number;
} {
  const signals = new Map([...family].map(([name, evidence]) => [name, signalsOf(evidence)]));
  const testedNames = [...signals].filter(([, list]) => list.length > 0).map(([name]) => name);
  const combined = testedNames.map((name) => combinedPValue(signals.get(name) ?? []));
  const bh = benjaminiHochberg(combined, DEFAULT_POLICY.falseDiscoveryRate);
  const adjustedByName = new Map(testedNames.map((name, i) => [name, bh.adjusted[i] as number]));
  const verdicts = new Map<string, Verdict>();
  for (const [name, evidence] of family) {
    const list = signals.get(name) ?? [];
    const adjusted = adjustedByName.get(name);
    verdicts.set(
      name,
      adjusted === undefined
        ? untestable(evidence)
        : judge(evidence, list, adjusted, bh.rejections > 0 ? bh.cutoff : -1, testedNames.length),
    );
  }
  return { verdicts, tested: testedNames.length, cutoff: bh.cutoff };
}

/** A one-line description of the policy for the report's `decision`. */
export function describeDefaultPolicy(tested: number): string {
  const { falseDiscoveryRate: q } = DEFAULT_POLICY;
  return (
    `A feature drifts when its change is significant and material. Significant: the smallest p-value of ` +
    `its tests (numeric: Mann-Whitney for location, Mood for spread, the tail test for far-out values; categorical: ` +
    `chi-square, and Fisher's exact test per category; both: Fisher's exact test on the missing rate), ` +
    `times their number, passes ` +
    `Benjamini-Hochberg at q = ${q} across the ${tested} features tested. Material: normed Wasserstein ` +
    `≥ ${material.normedWasserstein} or PSI ≥ ${material.psi} (numeric; for far-out values, their share up ` +
    `≥ ${material.tailExcess}), Hellinger ≥ ${material.hellinger} ` +
    `(categorical), missing rate moved ≥ ${material.missingRateChange}. The data set drifts when any ` +
    `feature does; features with a rule in the model config follow that rule instead.`
  );
}

function signalsOf(evidence: FeatureEvidence): Signal[] {
  const signals: Signal[] = [];
  for (const check of CHECKS[evidence.type]) {
    const pValue = testField(evidence.tests, check.test, "pValue");
    if (pValue === undefined) continue;
    const statistic = testField(evidence.tests, check.test, "statistic");
    const effect = largestEffect(evidence.tests, check.effects);
    signals.push({
      check,
      pValue,
      ...(statistic === undefined ? {} : { statistic }),
      ...(effect ? { effect } : {}),
    });
  }
  return signals;
}

/** The effect furthest above (or least below) its threshold; magnitudes, since a change can go either way. */
function largestEffect(tests: Record<string, TestResult>, rules: readonly EffectRule[]): Signal["effect"] {
  let best: Signal["effect"];
  for (const rule of rules) {
    const raw = testField(tests, rule.test, rule.field);
    if (raw === undefined) continue;
    const value = Math.abs(raw);
    if (!best || value / rule.threshold > best.value / best.threshold) {
      best = { measure: rule.measure, value, threshold: rule.threshold };
    }
  }
  return best;
}

function combinedPValue(signals: readonly Signal[]): number {
  return Math.min(1, signals.length * Math.min(...signals.map((signal) => signal.pValue)));
}

function judge(
  evidence: FeatureEvidence,
  signals: readonly Signal[],
  adjusted: number,
  cutoff: number,
  tested: number,
): Verdict {
  const q = DEFAULT_POLICY.falseDiscoveryRate;
  const significant = signals.filter((signal) => Math.min(1, signals.length * signal.pValue) <= cutoff);
  const isMaterial = (signal: Signal) =>
    signal.effect !== undefined && signal.effect.value >= signal.effect.threshold;
  const deciding = smallestPValue(significant.filter(isMaterial));
  const closest = deciding ?? smallestPValue(significant) ?? (smallestPValue(signals) as Signal);
  const drifted = deciding !== undefined;
  const correction = `Bonferroni over ${signals.length} test${signals.length > 1 ? "s" : ""}, Benjamini-Hochberg across ${tested} feature${tested > 1 ? "s" : ""}`;
  const detail = closest.check.detail?.(evidence);
  const label = detail ? `${closest.check.label}, ${detail},` : closest.check.label;
  let reason: string;
  if (drifted) {
    reason =
      `flagged: ${label} p ${formatP(closest.pValue)} is significant (${correction}: ` +
      `adjusted p ${formatP(adjusted)} ≤ ${q}) and material (${describeEffect(closest)})`;
  } else if (significant.length > 0) {
    reason =
      `not flagged: the change is significant (adjusted p ${formatP(adjusted)} ≤ ${q}) but too small ` +
      `to matter (${[...new Set(significant.map(describeEffect))].join("; ")})`;
  } else {
    reason =
      `not flagged: no significant change (${correction}: adjusted p ${formatP(adjusted)} > ${q}; ` +
      `smallest p ${formatP(closest.pValue)}, ${label})`;
  }
  return {
    method: closest.check.test,
    ...(closest.statistic === undefined ? {} : { statistic: closest.statistic }),
    pValue: closest.pValue,
    adjustedPValue: Math.min(1, adjusted),
    threshold: q,
    drifted,
    severity: severityOf(drifted, evidence),
    reason: withNotes(reason, evidence),
    ...(closest.effect ? { effect: closest.effect } : {}),
  };
}

function untestable(evidence: FeatureEvidence): Verdict {
  return {
    method: "none",
    threshold: DEFAULT_POLICY.falseDiscoveryRate,
    drifted: false,
    severity: "none",
    reason: withNotes("not flagged: no test applies", evidence),
  };
}

function smallestPValue(signals: readonly Signal[]): Signal | undefined {
  return signals.reduce<Signal | undefined>(
    (best, signal) => (!best || signal.pValue < best.pValue ? signal : best),
    undefined,
  );
}

function percent(share: number): string {
  return `${format(100 * share)}%`;
}

function describeEffect(signal: Signal): string {
  if (!signal.effect) return `${signal.check.label}: no effect size applies`;
  const { measure, value, threshold } = signal.effect;
  return `${measure} ${format(value)} ${value >= threshold ? "≥" : "<"} ${threshold}`;
}
