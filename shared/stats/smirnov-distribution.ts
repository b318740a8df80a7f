/**
 * Survival function of the one-sided Kolmogorov-Smirnov statistic, `P(D+_n >= x)`, as
 * `scipy.special.smirnov(n, x)` computes it (scipy 1.10, cephes `kolmogorov.c` by P. van Mulbregt),
 * restricted to the arguments the two-sided distribution hands it.
 *
 * Formula (Smirnov 1944; Birnbaum & Tingey 1951), with `C(n, v)` the binomial coefficient:
 *
 *   P(D+_n >= x) = x * sum_{v=0}^{floor(n(1-x))} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
 *
 * References: P. van Mulbregt, "Computing the Cumulative Distribution Function and Quantiles of the
 * One-sided Kolmogorov-Smirnov Statistic", arXiv:1802.06966 (2018).
 *
 * Precondition: `n >= 2`, `1 < n x < n - 1`, and `x >= 0.5` or `n x^2 >= 2.2`; this is where
 * `kstwo` calls it. cephes' other branches (`x <= 1/n`, `x >= 1 - 1/n`, and the alternating "upper
 * sum" it prefers for `x <= 0.5 / sqrt(n)`) are unreachable there, so they are not ported.
 *
 * cephes evaluates each term in double-double arithmetic; here each term is evaluated in log space from
 * an exactly split `n x = floor + frac`, which keeps every term to about 1e-13 relative error, well inside
 * the 1e-9 the project asks of the p-values.
 *
 * @example
 * smirnovSf(10, 0.5); // 0.0038887... = P(D+_10 >= 0.5)
 */
export function smirnovSf(n: number, x: number): number {
  // cephes' MINLOG, log(2^-1075) = -745.1332191019412...: below it even the leading term exp(-2 n x^2)
  // underflows.
  if (-2 * n * x * x < -745.1332191019412) return 0;
  if (n > 1_000_000) {
    // cephes stops summing here and uses the approximation p ~ exp(-(6nx + 1)^2 / 18n).
    const logp = -((6 * n * x + 1) ** 2) / 18 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp);
  }
  const [nxFloor, alpha] = splitProduct(n, x);
  const nTerms = n - nxFloor;
  // The v = 0 term, (1 - x)^n / x; the x factor in front of the sum is applied at the end.
  let sum = Math.exp(n * Math.log1p(-x)) / x;
  // C(n, v) = binomial * 2^binomialExponent, kept as a running product: summing logs of the ratios
  // instead would lose about 1e-11 over a few thousand terms.
  let binomial = n;
  let binomialExponent = 0;
  for (let v = 1; v < nTerms; v++) {
    // x + v/n and 1 - x - v/n, from the exact integer part of n x so neither loses digits.
    const up = (nxFloor + v + alpha) / n;
    const down = (n - nxFloor - v - alpha) / n;
    const logPowers = (v - 1) * Math.log(up) + (n - v) * Math.log(down);
    // The scaled binomial multiplies the exponential rather than joining its argument as a log: one
    // transcendental call fewer per term, on a loop that can run n/2 times. Only terms below 1e-305 can
    // underflow this way, far below any sum they could change.
    const term = binomial * Math.exp(binomialExponent * Math.LN2 + logPowers);
    sum += term;
    // cephes' early exit: the remaining terms (each smaller than this one) cannot change the sum.
    if (term !== 0 && 4 * (nTerms - v) * term < Number.EPSILON * sum && v !== nTerms - 1) break;
    if (term === 0 && v > n >> 1) break;
    binomial *= (n - v) / (v + 1);
    if (binomial > 2 ** 64) {
      binomial /= 2 ** 64;
      binomialExponent += 64;
    } else if (binomial < 1) {
      binomial *= 2 ** 64;
      binomialExponent -= 64;
    }
  }
  return Math.min(1, Math.max(0, x * sum));
}

/** Splits n*x exactly into its integer part and fraction (Dekker's product), as cephes' `modNX` does. */
function splitProduct(n: number, x: number): [number, number] {
  const hi = n * x;
  const split = 134217729; // 2^27 + 1
  let t = split * n;
  const nHi = t - (t - n);
  const nLo = n - nHi;
  t = split * x;
  const xHi = t - (t - x);
  const xLo = x - xHi;
  const lo = nHi * xHi - hi + nHi * xLo + nLo * xHi + nLo * xLo;
  let floor = Math.floor(hi);
  if (hi === floor && lo < 0) floor -= 1;
  const alpha = hi - floor + lo;
  return alpha >= 1 ? [floor + 1, 0] : [floor, alpha];
}
