/**
 * Brute-force reference for the exact permutation tests: every way of choosing which n1 of the pooled
 * ranks 1..n1+n2 belong to the first sample, each equally likely under the null hypothesis. Tests
 * derive exact p-values from it by the definition, independently of the algorithms under test.
 */
export function forEachSplit(n1: number, n2: number, visit: (inFirst: boolean[]) => void): void {
  const inFirst: boolean[] = new Array(n1 + n2).fill(false);
  const choose = (position: number, left: number): void => {
    if (left === 0) {
      visit(inFirst);
      return;
    }
    for (let p = position; p <= inFirst.length - left; p++) {
      inFirst[p] = true;
      choose(p + 1, left - 1);
      inFirst[p] = false;
    }
  };
  choose(0, n1);
}

/** The two samples of a split, taking rank r (1-based) as the value r, so there are no ties. */
export function splitSamples(inFirst: boolean[]): { reference: Float64Array; current: Float64Array } {
  const reference: number[] = [];
  const current: number[] = [];
  inFirst.forEach((first, i) => {
    (first ? reference : current).push(i + 1);
  });
  return { reference: Float64Array.from(reference), current: Float64Array.from(current) };
}

/** Share of the splits of sizes n1, n2 whose score is at least `observed` (scores compared exactly). */
export function shareAtLeast(
  n1: number,
  n2: number,
  score: (inFirst: boolean[]) => number,
  observed: number,
) {
  let atLeast = 0;
  let total = 0;
  forEachSplit(n1, n2, (inFirst) => {
    total++;
    if (score(inFirst) >= observed) atLeast++;
  });
  return atLeast / total;
}
