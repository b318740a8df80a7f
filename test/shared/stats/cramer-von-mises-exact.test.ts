import { describe, it } from "vitest";
import { cvmExactSurvival } from "../../../shared/stats/cramer-von-mises-exact.ts";
import { expectClose } from "../../fixtures/stats-vectors.ts";
import { forEachSplit, shareAtLeast } from "./support/rank-splits.ts";

/** U = n Σ (r_i - i)² + m Σ (s_j - j)² of a split (Anderson 1962, eq. 10), ranks without ties. */
function statisticU(inFirst: boolean[]): number {
  const n = inFirst.filter(Boolean).length;
  const m = inFirst.length - n;
  let sumX = 0;
  let sumY = 0;
  let i = 0;
  let j = 0;
  inFirst.forEach((first, position) => {
    const rank = position + 1;
    if (first) sumX += (rank - ++i) ** 2;
    else sumY += (rank - ++j) ** 2;
  });
  return n * sumX + m * sumY;
}

describe("cvmExactSurvival", () => {
  // scipy's _pval_cvm_2samp_exact (Xiao et al. 2006) against the definition: the share of all
  // C(n + m, n) splits whose U is at least the observed one.
  it.each([
    [2, 2],
    [2, 5],
    [3, 3],
    [4, 6],
    [5, 5],
    [6, 3],
  ])("matches enumeration of all splits for sizes %i and %i", (n, m) => {
    const seen = new Set<number>();
    forEachSplit(n, m, (inFirst) => {
      const u = statisticU(inFirst);
      if (seen.has(u)) return;
      seen.add(u);
      expectClose(cvmExactSurvival(u, n, m), shareAtLeast(n, m, statisticU, u), `U = ${u}`);
    });
  });
});
