import { type DriftReport, driftReportSchema, type FeatureReport } from "#shared/schemas/drift-report";
import { categoricalEvidence } from "./categorical-feature.ts";
import { type ColumnPair, pairColumns } from "./column-pair.ts";
import type { Dataset } from "./dataset.ts";
import type { FeatureEvidence } from "./feature-evidence.ts";
import { rate } from "./missing-rate.ts";
import { numericEvidence } from "./numeric-feature.ts";
import { decideByRule, type FeatureOverride } from "./override.ts";
import { DEFAULT_POLICY, decideByDefaultPolicy, describeDefaultPolicy } from "./policy.ts";
import { SEVERITY_CUTOFFS } from "./severity.ts";
import type { Verdict } from "./verdict.ts";

/** What to compare and how to label the report; everything is optional. */
export interface CompareOptions {
  /** The model the report is about; "adhoc" for a one-off comparison such as `driftwatch compare`. */
  modelId?: string;
  /** The time window the current data covers; null (the default) when it is not a window of logs. */
  window?: { from: string; to: string } | null;
  /** Version of the reference (baseline) data set, reported as `reference.version`. */
  referenceVersion?: string;
  /** The model config's `features`: a forced type and optionally a drift rule per feature. */
  features?: Readonly<Record<string, FeatureOverride>>;
  /**
   * The column holding the model's output, reported as `prediction` rather than as a feature.
   * `type: "categorical"` compares class shares (e.g. a classifier's labels stored as numbers).
   */
  prediction?: { column: string; type?: "numeric" | "categorical" };
}

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
  const overrides = options.features ?? {};
  const predictionColumn = options.prediction?.column;
  const names = [...reference.columns.keys()].filter(
    (name) => current.columns.has(name) && name !== predictionColumn,
  );

  const evidence = new Map<string, FeatureEvidence>();
  for (const name of names) {
    const pair = pairColumns(columnOf(reference, name), columnOf(current, name), overrides[name]?.type);
    evidence.set(name, evidenceOf(pair));
  }

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
  const prediction = predictionReport(reference, current, options.prediction);

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
    ...(prediction ? { prediction } : {}),
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

/** The prediction's report, decided alone; absent when no prediction column is named or shared. */
function predictionReport(
  reference: Dataset,
  current: Dataset,
  prediction: CompareOptions["prediction"],
): FeatureReport | undefined {
  if (!prediction || !reference.columns.has(prediction.column) || !current.columns.has(prediction.column)) {
    return undefined;
  }
  const pair = pairColumns(
    columnOf(reference, prediction.column),
    columnOf(current, prediction.column),
    prediction.type,
  );
  const evidence = evidenceOf(pair);
  const verdict = decideByDefaultPolicy(new Map([["prediction", evidence]])).verdicts.get("prediction");
  return verdict && featureReport(evidence, verdict);
}

function evidenceOf(pair: ColumnPair): FeatureEvidence {
  const evidence =
    pair.type === "numeric"
      ? numericEvidence(pair.reference, pair.current)
      : categoricalEvidence(pair.reference, pair.current);
  evidence.notes.unshift(...pair.notes);
  return evidence;
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

function columnOf(dataset: Dataset, name: string) {
  const column = dataset.columns.get(name);
  if (!column) throw new Error(`column "${name}" is not in the data set`);
  return column;
}
