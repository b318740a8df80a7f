import type { ModelConfig } from "#shared/schemas/model-config";
import { categoricalMethods, numericMethods } from "#shared/schemas/statistic-names";
import { type FeatureEvidence, testField } from "./feature-evidence.ts";
import { format, formatP, withNotes } from "./reason-text.ts";
import { severityOf } from "./severity.ts";
import type { Verdict } from "./verdict.ts";

/** A feature's entry in the model config: its type, and optionally its own drift rule. */
export type FeatureOverride = NonNullable<ModelConfig["features"]>[string];

/** The statistics whose p-value a rule compares (drift when p < threshold); the others are distances. */
const P_VALUE_METHODS = new Set([
  "ks",
  "cvm",
  "ad",
  "mannwhitney",
  "ttest",
  "chi2",
  "gtest",
  "ztest",
  "fisher",
]);

/**
 * Thresholds for a rule that names a method but no threshold: p < 0.05 for a test, and 0.1 for a
 * distance, the defaults Evidently uses for the same statistics, so a rule ported from it behaves alike.
 */
export const DEFAULT_RULE_THRESHOLDS = { pValue: 0.05, distance: 0.1 } as const;

/** The method a rule with a threshold but no method applies: the classic test of each type. */
export const DEFAULT_RULE_METHODS = { numeric: "ks", categorical: "chi2" } as const;

/**
 * Decides a feature by its own rule from the model config instead of the default policy: a p-value
 * test drifts when p < threshold, a distance when value >= threshold (`wasserstein` compares the normed
 * distance, so one threshold fits features of any unit). The rule replaces the whole default decision
 * for that feature, missing-rate check included.
 *
 * @returns the verdict, or why the rule cannot decide here (a method of the other feature type, or a
 *   test that does not apply to these data), in which case the default policy decides and says so
 * @example
 * decideByRule(evidence, { type: "numeric", method: "psi", threshold: 0.2 });
 * // { method: "psi", statistic: 0.31, threshold: 0.2, drifted: true, severity: "high", reason: "..." }
 */
export function decideByRule(
  evidence: FeatureEvidence,
  rule: FeatureOverride,
): Verdict | { cannotApply: string } {
  const method = rule.method ?? DEFAULT_RULE_METHODS[evidence.type];
  const applicable: readonly string[] = evidence.type === "numeric" ? numericMethods : categoricalMethods;
  if (!applicable.includes(method)) {
    return {
      cannotApply: `the model config's method "${method}" does not apply to ${evidence.type} features`,
    };
  }
  const outcome = evidence.tests[method];
  if (outcome && "notApplicable" in outcome) {
    return {
      cannotApply: `the model config's method "${method}" is not applicable here: ${outcome.notApplicable}`,
    };
  }
  const isTest = P_VALUE_METHODS.has(method);
  const threshold =
    rule.threshold ?? (isTest ? DEFAULT_RULE_THRESHOLDS.pValue : DEFAULT_RULE_THRESHOLDS.distance);
  const field = isTest ? "pValue" : method === "wasserstein" ? "normed" : "value";
  const value = testField(evidence.tests, method, field);
  if (value === undefined) {
    return { cannotApply: `the model config's method "${method}" was not computed` };
  }
  const drifted = isTest ? value < threshold : value >= threshold;
  const name = isTest ? `${method} p` : method === "wasserstein" ? "normed wasserstein" : method;
  const shown = isTest ? formatP(value) : `= ${format(value)}`;
  const comparison = isTest ? (drifted ? "<" : "≥") : drifted ? "≥" : "<";
  const statistic = isTest ? testField(evidence.tests, method, "statistic") : value;
  return {
    method,
    ...(statistic === undefined ? {} : { statistic }),
    ...(isTest ? { pValue: value } : {}),
    threshold,
    drifted,
    severity: severityOf(drifted, evidence),
    reason: withNotes(
      `${drifted ? "flagged" : "not flagged"} by the model config's rule: ${name} ${shown} ${comparison} ${threshold}`,
      evidence,
    ),
  };
}
