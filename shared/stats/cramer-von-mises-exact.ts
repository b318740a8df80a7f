/**
 * Exact null survival function of the two-sample Cramér-von Mises statistic, `P(U' >= U)` over all
 * C(n + m, n) equally likely splits of the ranks 1..n+m into samples of sizes n and m: scipy 1.10's
 * `_pval_cvm_2samp_exact(u, n, m)` (`scipy/stats/_hypotests.py`).
 *
 * Algorithm (Xiao, Gordon & Yakovlev 2006, eqs. 2, 11-13): a split is a monotone lattice path from
 * (0, 0) to (m, n); with L = lcm(n, m), a = L/n, b = L/m, its statistic is an increasing affine function
 * of ζ = Σ over the path's points (u, v) of (a v - b u)². A dynamic programme over the lattice keeps,
 * per point, the frequency table of ζ for the paths reaching it, so the cost is polynomial rather than
 * C(n + m, n). U is mapped to its ζ threshold with scipy's float floor division, so mid-rank statistics
 * that fall between attainable values are counted exactly as scipy counts them.
 *
 * Reference: Y. Xiao, A. Gordon, A. Yakovlev, "A C++ Program for the Cramér-Von Mises Two-Sample Test",
 * J. Stat. Softw. 17(8), 2006; T. W. Anderson, Ann. Math. Statist. 33(3), 1962.
 *
 * @param u the statistic U = n Σ (r_i - i)² + m Σ (s_j - j)² of the observed samples
 * @param n size of the first sample
 * @param m size of the second sample
 * @example
 * cvmExactSurvival(16, 2, 2); // 0.3333333333333333: 2 of the 6 splits of {1, 2, 3, 4} reach U = 16
 */
export function cvmExactSurvival(u: number, n: number, m: number): number {
  const l = lcm(n, m);
  const a = l / n;
  const b = l / m;
  const nm = n * m;
  const zeta = floorDivide(l ** 2 * (n + m) * (6 * u - nm * (4 * nm - 1)), 6 * nm ** 2);

  // tables[v]: frequency table of ζ over the paths reaching (row, v), values ascending.
  let tables: FrequencyTable[] = [{ values: [0], counts: [1] }];
  for (let v = 1; v <= n; v++) tables.push(EMPTY);
  for (let row = 0; row <= m; row++) {
    const next: FrequencyTable[] = [];
    let left = EMPTY;
    for (let v = 0; v <= n; v++) {
      left = mergeShifted(left, tables[v] ?? EMPTY, (a * v - b * row) ** 2);
      next.push(left);
    }
    tables = next;
  }
  const final = tables[n] ?? EMPTY;
  let atLeast = 0;
  for (let i = 0; i < final.values.length; i++) {
    if ((final.values[i] as number) >= zeta) atLeast += final.counts[i] as number;
  }
  return atLeast / binomial(n + m, n);
}

interface FrequencyTable {
  readonly values: number[];
  readonly counts: number[];
}

const EMPTY: FrequencyTable = { values: [], counts: [] };

/** Paths arriving from the left or from below, each value shifted by the new point's term. */
function mergeShifted(p: FrequencyTable, q: FrequencyTable, shift: number): FrequencyTable {
  const values: number[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  while (i < p.values.length || j < q.values.length) {
    const pv = i < p.values.length ? (p.values[i] as number) : Number.POSITIVE_INFINITY;
    const qv = j < q.values.length ? (q.values[j] as number) : Number.POSITIVE_INFINITY;
    if (pv <= qv) {
      values.push(pv + shift);
      counts.push((p.counts[i++] as number) + (pv === qv ? (q.counts[j++] as number) : 0));
    } else {
      values.push(qv + shift);
      counts.push(q.counts[j++] as number);
    }
  }
  return { values, counts };
}

/** numpy's float `//`: floor of the exact quotient, via fmod as CPython and numpy compute it. */
function floorDivide(x: number, y: number): number {
  const mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0 && y < 0 !== mod < 0) div -= 1;
  if (div === 0) return 0;
  const floor = Math.floor(div);
  return div - floor > 0.5 ? floor + 1 : floor;
}

function lcm(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return (a / x) * b;
}

/** C(n, k), exact while it stays below 2^53 (every intermediate is itself a binomial coefficient). */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c;
}
