import { andersonDarling2Samp } from "#shared/stats/anderson-darling";
import { cdfGapIntegrals } from "#shared/stats/cdf-distance";
import { cramerVonMises2Samp } from "#shared/stats/cramer-von-mises";
import { countSortedIntoBins, decileEdges } from "#shared/stats/decile-bins";
import { energyDistance } from "#shared/stats/energy-distance";
import { ks2Samp } from "#shared/stats/ks";
import { mannWhitneyU } from "#shared/stats/mann-whitney";
import { tieGroups } from "#shared/stats/tie-groups";
import { wasserstein } from "#shared/stats/wasserstein";
import { welchTTest } from "#shared/stats/welch-t-test";
import { divergenceTests, type FeatureEvidence } from "./feature-evidence.ts";
import { missingRateTest } from "./missing-rate.ts";
import { moodTest } from "./mood.ts";
import { sortColumn } from "./sort-column.ts";
import { tailExcessTest } from "./tail-excess.ts";
import { attempt, reportable } from "./test-outcome.ts";

/**
 * Every numeric statistic of CONTRACT §5 for one column pair, plus the policy's own tests: Mood's test
 * of spread, the tail test for a burst of far-out values, and the missing-rate test. Each column is sorted once, without its missing values, and the two
 * sorted arrays are shared by every test, the Wasserstein and energy distances and the decile bins; no
 * statistic sorts or copies on its own. Likewise the two are merged once into their tie groups, which
 * the five rank-based tests share, and once into the CDF-gap integrals both distances read.
 *
 * A test that cannot apply (an empty sample, a constant column, too few values) is reported as
 * `{ notApplicable: reason }`, and constant or empty columns are described in `notes`, so the verdict
 * can say why instead of carrying a NaN.
 *
 * @param reference the reference column, NaN for a missing value
 * @param current the current column, NaN for a missing value
 * @example
 * numericEvidence(new Float64Array([1, 2, 3, Number.NaN]), new Float64Array([1, 2, 4, 5])).tests.ks;
 * // { statistic: 0.5, pValue: 0.7714... }
 */
export function numericEvidence(reference: Float64Array, current: Float64Array): FeatureEvidence {
  const { sorted: ref, missing: missingReference } = sortColumn(reference);
  const { sorted: cur, missing: missingCurrent } = sortColumn(current);
  const missing = {
    reference: { missing: missingReference, rows: reference.length },
    current: { missing: missingCurrent, rows: current.length },
  };
  // The merged ranking of the two sorted columns, computed once for all five rank-based tests.
  const groups = tieGroups(ref, cur);
  // Likewise one merge for both CDF-gap integrals, the Wasserstein and energy distances.
  const gaps = ref.length > 0 && cur.length > 0 ? cdfGapIntegrals(ref, cur) : undefined;
  const bins = attempt(() => {
    const edges = decileEdges(ref);
    return { reference: countSortedIntoBins(edges, ref), current: countSortedIntoBins(edges, cur) };
  });
  return {
    type: "numeric",
    missing,
    tests: {
      ks: reportable(attempt(() => ks2Samp(ref, cur, groups))),
      cvm: reportable(attempt(() => cramerVonMises2Samp(ref, cur, groups))),
      ad: reportable(attempt(() => andersonDarling2Samp(ref, cur, groups))),
      mannwhitney: reportable(attempt(() => mannWhitneyU(ref, cur, groups))),
      ttest: reportable(attempt(() => welchTTest(ref, cur))),
      wasserstein: reportable(attempt(() => wasserstein(ref, cur, gaps))),
      energy: reportable(attempt(() => ({ value: energyDistance(ref, cur, gaps) }))),
      ...divergenceTests(bins),
      mood: reportable(attempt(() => moodTest(ref, cur, groups))),
      tail: reportable(attempt(() => tailExcessTest(ref, cur))),
      missingRate: reportable(attempt(() => missingRateTest(missing))),
    },
    notes: describeSamples(ref, cur),
  };
}

/** Empty and constant samples, which make several tests inapplicable and deserve a word in the verdict. */
function describeSamples(ref: Float64Array, cur: Float64Array): string[] {
  if (ref.length === 0 && cur.length === 0) return ["no values in either dataset (every value is missing)"];
  if (ref.length === 0) return ["no values in the reference (every value is missing)"];
  if (cur.length === 0) return ["no values in the current data (every value is missing)"];
  const refValue = constantValue(ref);
  const curValue = constantValue(cur);
  if (refValue !== undefined && curValue !== undefined) {
    return refValue === curValue
      ? [`constant: every value is ${refValue} in both datasets`]
      : [`constant in each dataset, but ${refValue} in the reference and ${curValue} in the current data`];
  }
  if (refValue !== undefined) return [`constant in the reference (every value is ${refValue})`];
  if (curValue !== undefined) return [`constant in the current data (every value is ${curValue})`];
  return [];
}

function constantValue(sorted: Float64Array): number | undefined {
  const first = sorted[0] as number;
  return first === sorted[sorted.length - 1] ? first : undefined;
}
