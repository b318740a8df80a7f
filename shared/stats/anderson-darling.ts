import { NeumaierSum } from "./neumaier-sum.ts";
import { NotApplicableError } from "./not-applicable.ts";
import { type TieGroups, tieGroups } from "./tie-groups.ts";
import type { TwoSampleTestResult } from "./two-sample-result.ts";

/**
 * Significance levels and the Scholz & Stephens (1987, Table 2) interpolation coefficients of their
 * critical values, t_alpha(m) = b0 + b1/sqrt(m) + b2/m, as `anderson_ksamp` tabulates them.
 */
const SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/** Two samples, so m = k - 1 = 1 and the critical values, and their quadratic fit, are constants. */
const M = 1;
const CRITICAL = B0.map((b0, i) => b0 + (B1[i] as number) / Math.sqrt(M) + (B2[i] as number) / M);
const LOG_SIGNIFICANCE_FIT = polyfitQuadratic(
  CRITICAL,
  SIGNIFICANCE.map((s) => Math.log(s)),
);

/**
 * Two-sample Anderson-Darling test: exactly `scipy.stats.anderson_ksamp([reference, current])` with the
 * default `midrank=True` (scipy 1.10, `scipy/stats/_morestats.py`), i.e. the version for samples with
 * ties (Scholz & Stephens 1987, eq. 7).
 *
 * Statistic, over the L distinct pooled values z_j with l_j observations tied at z_j, B_j the
 * observations below z_j plus l_j / 2, and M_ij the observations of sample i below z_j plus half of
 * those at z_j (N pooled observations, n_i per sample):
 *
 *   A²_akN = (N - 1)/N Σ_i 1/n_i Σ_j (l_j/N) (N M_ij - n_i B_j)² / (B_j (N - B_j) - N l_j / 4)
 *
 * reported standardised as (A²_akN - (k - 1)) / σ_N with σ_N² from Scholz & Stephens eq. 4 (k = 2).
 * p-value: the exponential of a quadratic fitted to log(significance) against the tabulated critical
 * values, evaluated at the statistic; outside the table scipy caps it at 0.25 or floors it at 0.001 (with
 * a warning), and so does this function: read 0.25 as "at least 0.25" and 0.001 as "at most 0.001".
 *
 * Reference: F. W. Scholz, M. A. Stephens, "K-Sample Anderson-Darling Tests", JASA 82(399), 1987.
 *
 * @param reference sorted ascending, no NaN
 * @param current sorted ascending, no NaN
 * @param groups the samples' merged ranking, when the caller has it already (the engine shares one)
 * @throws NotApplicableError when a sample is empty, all values are equal, or there are fewer than 4
 *   observations in all (where scipy fails or its variance formula divides by zero)
 * @example
 * andersonDarling2Samp(new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6]));
 * // { statistic: 2.6332..., pValue: 0.0271... }
 */
export function andersonDarling2Samp(
  reference: Float64Array,
  current: Float64Array,
  groups: TieGroups = tieGroups(reference, current),
): TwoSampleTestResult {
  const n1 = reference.length;
  const n2 = current.length;
  if (n1 === 0 || n2 === 0)
    throw new NotApplicableError("anderson_ksamp encountered sample without observations");
  const bigN = n1 + n2;
  const lowest = Math.min(reference[0] as number, current[0] as number);
  const highest = Math.max(reference[n1 - 1] as number, current[n2 - 1] as number);
  if (lowest === highest)
    throw new NotApplicableError("anderson_ksamp needs more than one distinct observation");
  if (bigN < 4) throw new NotApplicableError("anderson_ksamp needs at least 4 observations in all");

  // Two Neumaier sums ({@link NeumaierSum}'s arithmetic) in local variables, which the JIT keeps in
  // registers: twice as fast as the objects' fields on a loop that runs once per distinct value.
  let sum1 = 0;
  let compensation1 = 0;
  let sum2 = 0;
  let compensation2 = 0;
  let cum1 = 0;
  let cum2 = 0;
  let below = 0;
  const { size, countA, countB } = groups;
  for (let g = 0; g < size; g++) {
    const count1 = countA[g] as number;
    const count2 = countB[g] as number;
    const lj = count1 + count2;
    const bj = below + lj / 2;
    const denominator = bj * (bigN - bj) - (bigN * lj) / 4;
    cum1 += count1;
    cum2 += count2;
    const m1 = cum1 - count1 / 2;
    const m2 = cum2 - count2 / 2;
    const term1 = ((lj / bigN) * (bigN * m1 - bj * n1) ** 2) / denominator;
    const term2 = ((lj / bigN) * (bigN * m2 - bj * n2) ** 2) / denominator;
    const t1 = sum1 + term1;
    const t2 = sum2 + term2;
    compensation1 += Math.abs(sum1) >= Math.abs(term1) ? sum1 - t1 + term1 : term1 - t1 + sum1;
    compensation2 += Math.abs(sum2) >= Math.abs(term2) ? sum2 - t2 + term2 : term2 - t2 + sum2;
    sum1 = t1;
    sum2 = t2;
    below += lj;
  }
  const a2kN = ((sum1 + compensation1) / n1 + (sum2 + compensation2) / n2) * ((bigN - 1) / bigN);

  const k = 2;
  const bigH = 1 / n1 + 1 / n2;
  const { h, g } = harmonicSums(bigN);
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * bigH;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * bigH - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * bigH + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmaSq =
    (a * (bigN * bigN * bigN) + b * (bigN * bigN) + c * bigN + d) / ((bigN - 1) * (bigN - 2) * (bigN - 3));
  // σ² is a variance, positive once N >= 4 (over all sizes up to 300 each its least value is 0.1975, at
  // sizes 1 and 3), so the statistic is finite.
  const statistic = (a2kN - M) / Math.sqrt(sigmaSq);
  return { statistic, pValue: interpolatePValue(statistic) };
}

/** The last {@link harmonicSums} computed: the engine's columns usually share one pooled size. */
let lastHarmonicSums: { bigN: number; h: number; g: number } | undefined;

/**
 * h = Σ_{i<N} 1/i and g = Σ_{i=1}^{N-2} Σ_{j=i+1}^{N-1} 1/((N - i) j) of Scholz & Stephens' variance,
 * accumulated as scipy does. They depend on N alone but take O(N) divisions, as long as the statistic's
 * own pass on a column without ties, so the last pair is remembered for the next column of that size.
 */
function harmonicSums(bigN: number): { h: number; g: number } {
  if (lastHarmonicSums?.bigN === bigN) return lastHarmonicSums;
  let hsCs = 0;
  const gSum = new NeumaierSum();
  for (let i = bigN - 1, j = 2; i > 1; i--, j++) {
    hsCs += 1 / i;
    gSum.add(hsCs / j);
  }
  lastHarmonicSums = { bigN, h: hsCs + 1, g: gSum.value() };
  return lastHarmonicSums;
}

function interpolatePValue(statistic: number): number {
  if (statistic < Math.min(...CRITICAL)) return Math.max(...SIGNIFICANCE);
  if (statistic > Math.max(...CRITICAL)) return Math.min(...SIGNIFICANCE);
  const [c2, c1, c0] = LOG_SIGNIFICANCE_FIT;
  return Math.exp((c2 * statistic + c1) * statistic + c0);
}

/**
 * Least-squares quadratic through (x_i, y_i), highest power first, as `numpy.polyfit(x, y, 2)`: the
 * Vandermonde columns are scaled to unit norm and the system solved by Householder QR (numpy uses an
 * SVD; both are backward stable, so the coefficients agree to rounding).
 */
function polyfitQuadratic(x: number[], y: number[]): [number, number, number] {
  const rows = x.length;
  const columns = [x.map((v) => v * v), x.slice(), x.map(() => 1)];
  const scale = columns.map((col) => Math.hypot(...col));
  const q = columns.map((col, j) => col.map((v) => v / (scale[j] as number)));
  const rhs = y.slice();
  for (let j = 0; j < 3; j++) {
    const col = q[j] as number[];
    const norm = Math.hypot(...col.slice(j));
    const alpha = (col[j] as number) > 0 ? -norm : norm;
    const v = col.map((value, i) => (i < j ? 0 : i === j ? value - alpha : value));
    const vv = v.reduce((s, value) => s + value * value, 0);
    const reflect = (target: number[]): void => {
      const factor = (2 * v.reduce((s, value, i) => s + value * (target[i] as number), 0)) / vv;
      for (let i = j; i < rows; i++) target[i] = (target[i] as number) - factor * (v[i] as number);
    };
    for (let k = j; k < 3; k++) reflect(q[k] as number[]);
    reflect(rhs);
  }
  const coefficients = [0, 0, 0];
  for (let j = 2; j >= 0; j--) {
    let s = rhs[j] as number;
    for (let k = j + 1; k < 3; k++) s -= ((q[k] as number[])[j] as number) * (coefficients[k] as number);
    coefficients[j] = s / ((q[j] as number[])[j] as number);
  }
  return [
    (coefficients[0] as number) / (scale[0] as number),
    (coefficients[1] as number) / (scale[1] as number),
    (coefficients[2] as number) / (scale[2] as number),
  ];
}
