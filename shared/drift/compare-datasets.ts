import { type DriftReport, driftReportSchema, type FeatureReport } from "#shared/schemas/drift-report";
import { type CompareOptions, evidenceOf, planComparison } from "./comparison-plan.ts";
import type { Dataset } from "./dataset.ts";
import type { FeatureEvidence } from "./feature-evidence.ts";
import { rate } from "./missing-rate.ts";
import { decideByRule } from "./override.ts";
import { DEFAULT_POLICY, decideByDefaultPolicy, describeDefaultPolicy } from "./policy.ts";
import { SEVERITY_CUTOFFS } from "./severity.ts";
import type { Verdict } from "./verdict.ts";

export type { CompareOptions } from "./comparison-plan.ts";

/**
 * Compares a current data set with a reference one and returns the drift report of CONTRACT §4: per
 * shared column every applicable statistic of CONTRACT §5 and a verdict, the prediction's verdict, and
 * the data set's verdict with how it was reached (`decision`). Pure: no clock, no I/O, and the same
 * inputs give the same report.
 *
 * Columns present in only one data set are not compared and are listed in `decision.unsharedColumns`.
 * A column numeric in one data set and categorical in the other is compared as categories. A feature
 * with a `method` or `threshold` in `options.features` is decided by that rule; every other feature by
 * the default policy (see `policy.ts`).
 *
 * @throws ZodError only on a bug: the report is validated against the schema before it is returned,
 *   so nothing malformed (and no NaN or Infinity) ever leaves the engine
 * @example
 * const report = compareDatasets(reference, current, { modelId: "churn", prediction: { column: "score" } });
 * report.drifted; // true when any feature drifted
 */
export function compareDatasets(
  reference: Dataset,
  current: Dataset,
  options: CompareOptions = {},
): DriftReport {
  const plan = planComparison(reference, current, options);
  const evidence = new Map(plan.features.map(([name, pair]) => [name, evidenceOf(pair)]));
  return assembleReport(
    reference,
    current,
    options,
    evidence,
    plan.prediction && evidenceOf(plan.prediction),
  );
}

/** Decides every feature from its evidence (in report order) and builds the validated report. */
function assembleReport(
  reference: Dataset,
  current: Dataset,
  options: CompareOptions,
  evidence: ReadonlyMap<string, FeatureEvidence>,
  prediction: FeatureEvidence | undefined,
): DriftReport {
  const overrides = options.features ?? {};
  const names = [...evidence.keys()];
  const ruled = new Map<string, Verdict>();
  const family = new Map<string, FeatureEvidence>();
  for (const [name, featureEvidence] of evidence) {
    const rule = overrides[name];
    if (rule?.method === undefined && rule?.threshold === undefined) {
      family.set(name, featureEvidence);
      continue;
    }
    const outcome = decideByRule(featureEvidence, rule);
    if ("cannotApply" in outcome) {
      featureEvidence.notes.push(`${outcome.cannotApply}, so the default policy decides`);
      family.set(name, featureEvidence);
    } else ruled.set(name, outcome);
  }
  const policy = decideByDefaultPolicy(family);

  const features: Record<string, FeatureReport> = {};
  for (const [name, featureEvidence] of evidence) {
    const verdict = ruled.get(name) ?? policy.verdicts.get(name);
    if (verdict) features[name] = featureReport(featureEvidence, verdict);
  }
  const driftedFeatures = names.filter((name) => features[name]?.drifted);
  const predictionVerdict =
    prediction && decideByDefaultPolicy(new Map([["prediction", prediction]])).verdicts.get("prediction");

  return driftReportSchema.parse({
    modelId: options.modelId ?? "adhoc",
    window: options.window ?? null,
    reference: {
      rows: reference.rows,
      ...(options.referenceVersion ? { version: options.referenceVersion } : {}),
    },
    current: { rows: current.rows },
    drifted: driftedFeatures.length > 0,
    driftedFeatures,
    share: names.length === 0 ? 0 : driftedFeatures.length / names.length,
    features,
    ...(prediction && predictionVerdict ? { prediction: featureReport(prediction, predictionVerdict) } : {}),
    decision: {
      policy: DEFAULT_POLICY.name,
      description: describeDefaultPolicy(policy.tested),
      falseDiscoveryRate: DEFAULT_POLICY.falseDiscoveryRate,
      testedFeatures: policy.tested,
      benjaminiHochbergCutoff: policy.cutoff,
      material: DEFAULT_POLICY.material,
      severityCutoffs: SEVERITY_CUTOFFS,
      featuresWithOwnRule: [...ruled.keys()],
      unsharedColumns: {
        referenceOnly: [...reference.columns.keys()].filter((name) => !current.columns.has(name)),
        currentOnly: [...current.columns.keys()].filter((name) => !reference.columns.has(name)),
      },
    },
  });
}

function featureReport(evidence: FeatureEvidence, verdict: Verdict): FeatureReport {
  return {
    type: evidence.type,
    missing: { reference: rate(evidence.missing.reference), current: rate(evidence.missing.current) },
    ...verdict,
    tests: evidence.tests,
    ...(evidence.newCategories ? { newCategories: evidence.newCategories } : {}),
    ...(evidence.notes.length > 0 ? { notes: evidence.notes } : {}),
  };
}
