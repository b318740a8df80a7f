import { chiSquareTest } from "#shared/stats/chi-square";
import { buildContingencyTable, type ContingencyTable } from "#shared/stats/contingency";
import { fisherExact } from "#shared/stats/fisher-exact";
import { gTest } from "#shared/stats/g-test";
import { newCategories } from "#shared/stats/new-categories";
import { twoProportionZTest } from "#shared/stats/two-proportion-z-test";
import type { CategoryCounts } from "./category-counts.ts";
import { categoryShiftTest } from "./category-shift.ts";
import { divergenceTests, type FeatureEvidence } from "./feature-evidence.ts";
import { missingRateTest } from "./missing-rate.ts";
import { attempt, isNotApplicable, reportable } from "./test-outcome.ts";

/**
 * What an infinite Fisher odds ratio (one off-diagonal cell is 0) is reported as: the largest finite
 * double, which JSON can carry and which compares above any threshold a user could set.
 */
export const INFINITE_ODDS_RATIO = Number.MAX_VALUE;

/**
 * Every categorical statistic of CONTRACT §5 for one column pair, on the 2 x k table of the union of
 * both datasets' categories: chi2, gtest, ztest (two categories), fisher (2 x 2), psi, kl, js,
 * hellinger and tvd with one bin per category, the new categories; and the policy's own tests, the
 * largest change of one category's share (`categoryShift`) and the missing-rate test.
 *
 * @example
 * const a = { counts: new Map([["x", 50], ["y", 50]]), missing: 0, rows: 100 };
 * const b = { counts: new Map([["x", 30], ["y", 60], ["z", 10]]), missing: 0, rows: 100 };
 * categoricalEvidence(a, b).newCategories; // { values: ["z"], share: 0.1 }
 */
export function categoricalEvidence(reference: CategoryCounts, current: CategoryCounts): FeatureEvidence {
  const table = contingencyTable(reference, current);
  const missing = {
    reference: { missing: reference.missing, rows: reference.rows },
    current: { missing: current.missing, rows: current.rows },
  };
  const fisher = attempt(() => fisherExact(table));
  const fresh = attempt(() => newCategories(table));
  const shift = attempt(() => categoryShiftTest(table));
  return {
    type: "categorical",
    missing,
    tests: {
      chi2: reportable(attempt(() => chiSquareTest(table))),
      gtest: reportable(attempt(() => gTest(table))),
      ztest: reportable(attempt(() => twoProportionZTest(table))),
      fisher: reportable(
        isNotApplicable(fisher)
          ? fisher
          : { statistic: Math.min(fisher.statistic, INFINITE_ODDS_RATIO), pValue: fisher.pValue },
      ),
      ...divergenceTests(table),
      categoryShift: reportable(
        isNotApplicable(shift) ? shift : { statistic: shift.statistic, pValue: shift.pValue },
      ),
      missingRate: reportable(attempt(() => missingRateTest(missing))),
    },
    ...(isNotApplicable(fresh) ? {} : { newCategories: fresh }),
    ...(isNotApplicable(shift) ? {} : { categoryShift: shift }),
    notes: describeCategories(table),
  };
}

/**
 * The 2 x k table, its categories in code point order: the order `buildContingencyTable` gives (run on
 * the distinct labels only, never on the rows), so "the first category" of the z-test and of Fisher's
 * table is the one the scipy reference vectors use.
 */
function contingencyTable(reference: CategoryCounts, current: CategoryCounts): ContingencyTable {
  const { categories } = buildContingencyTable([...reference.counts.keys()], [...current.counts.keys()]);
  return {
    categories,
    reference: Float64Array.from(categories, (category) => reference.counts.get(category) ?? 0),
    current: Float64Array.from(categories, (category) => current.counts.get(category) ?? 0),
  };
}

function describeCategories(table: ContingencyTable): string[] {
  const seen = (counts: Float64Array) => counts.some((count) => count > 0);
  if (!seen(table.reference) && !seen(table.current)) {
    return ["no values in either dataset (every value is missing)"];
  }
  if (!seen(table.reference)) return ["no values in the reference (every value is missing)"];
  if (!seen(table.current)) return ["no values in the current data (every value is missing)"];
  if (table.categories.length === 1) {
    return [`a single category ("${table.categories[0]}") in both datasets`];
  }
  return [];
}
