import { durbinCdf, pomeranzCdf } from "./kolmogorov-exact.ts";
import { smirnovSf } from "./smirnov-distribution.ts";

/**
 * Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic, `P(D_n >= x)` with
 * `D_n = sup |F_n - F|`: exactly `scipy.stats.kstwo.sf(x, n)` (scipy 1.10, `scipy/stats/_ksstats.py`,
 * `_kolmogn(n, x, cdf=False)`), which `ks_2samp` uses for its asymptotic p-value.
 *
 * It follows Simard & L'Ecuyer's choice of method per region of (n, x):
 * - Ruben-Gambino closed forms for `n x <= 1` and `n x >= n - 1`;
 * - `2 * smirnov(n, x)` (exact for `x >= 0.5`, Miller's approximation elsewhere) for large `n x^2`;
 * - Durbin's matrix algorithm as Marsaglia, Tsang & Wang compute it, for small `n x^2`;
 * - Pomeranz's recursion for moderate `n x^2` when `n <= 140`;
 * - the Pelz-Good asymptotic series otherwise.
 *
 * References: R. Simard, P. L'Ecuyer, "Computing the Two-Sided Kolmogorov-Smirnov Distribution",
 * J. Stat. Softw. 39(11), 2011; J. Durbin, Ann. Math. Statist. 39, 1968; G. Marsaglia, W. W. Tsang,
 * J. Wang, J. Stat. Softw. 8(18), 2003; J. Pomeranz, CACM 17(12), 1974; W. Pelz, I. J. Good,
 * JRSS B 38(2), 1976.
 *
 * @param n sample size, a positive integer
 * @param x the statistic, any real
 * @example
 * kstwoSf(5143, 0.1266); // 2.585...e-72, via 2 * smirnov since n x^2 >= 2.2
 */
export function kstwoSf(n: number, x: number): number {
  // rv_continuous.sf over kstwo's support [0.5/n, 1].
  if (x <= 0.5 / n) return 1;
  if (x >= 1) return 0;
  return clip(kolmognSf(n, x));
}

const PI_SQUARED = Math.PI ** 2;
const PI_FOUR = Math.PI ** 4;
const PI_SIX = Math.PI ** 6;
const SQRT2PI = Math.sqrt(2 * Math.PI);
const LOG_2PI = Math.log(2 * Math.PI);
// B_{2j} / (2j (2j - 1)) for j = 8..1, for Stirling's series of log(n!); scipy writes them as 20-digit
// decimals, which round to the same doubles as these fractions.
const STIRLING_COEFFS = [
  -3617 / 122400,
  1 / 156,
  -691 / 360360,
  1 / 1188,
  -1 / 1680,
  1 / 1260,
  -1 / 360,
  1 / 12,
];

/** `_kolmogn(n, x, cdf=False)` for 0.5/n < x < 1. */
function kolmognSf(n: number, x: number): number {
  const t = n * x;
  if (t <= 1) {
    // Ruben-Gambino: P(D_n <= x) = n!/n^n (2t - 1)^n.
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= i * (1 / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return 1 - cdf;
  }
  if (t >= n - 1) return 2 * (1 - x) ** n; // Ruben-Gambino
  if (x >= 0.5) return 2 * smirnovSf(n, x); // D_n+ and D_n- cannot both exceed 1/2
  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return 1 - durbinCdf(n, x);
    if (nxSquared <= 4) return 1 - pomeranzCdf(n, x);
    return 2 * smirnovSf(n, x);
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return 2 * smirnovSf(n, x);
  if (n <= 100_000 && n * x ** 1.5 <= 1.4) return 1 - durbinCdf(n, x);
  return 1 - pelzGoodCdf(n, x);
}

/** log(n! / n^n) by Stirling's series, with n log n removed up front to avoid cancellation. */
function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING_COEFFS) poly = poly * (rn / n) + c;
  return Math.log(n) / 2 - n + LOG_2PI / 2 + rn * poly;
}

/**
 * Pelz-Good: the Li-Chien/Korolyuk expansion P(D_n <= x) ~ K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5,
 * z = x sqrt(n), with each K rewritten through Jacobi theta functions so it converges for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  const z = Math.sqrt(n) * x;
  const zsquared = z ** 2;
  const zthree = z ** 3;
  const zfour = z ** 4;
  const zsix = z ** 6;
  const qlog = -PI_SQUARED / 8 / zsquared;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);
  const k1a = -zsquared;
  const k1b = PI_SQUARED / 4;
  const k2a = 6 * zsix + 2 * zfour;
  const k2b = ((2 * zfour - 5 * zsquared) * PI_SQUARED) / 4;
  const k2c = (PI_FOUR * (1 - 2 * zsquared)) / 16;
  const k3d = (PI_SIX * (5 - 30 * zsquared)) / 64;
  const k3c = (PI_FOUR * (-60 * zsquared + 212 * zfour)) / 16;
  const k3b = (PI_SQUARED * (135 * zfour - 96 * zsix)) / 4;
  const k3a = -30 * zsix - 90 * z ** 8;
  // Horner scheme over odd m = 2k - 1 for sum c_m q^(m^2).
  let k0 = 0;
  let k1 = 0;
  let k2 = 0;
  let k3 = 0;
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const msquared = m ** 2;
    const mfour = m ** 4;
    const msix = m ** 6;
    const qpower = q ** (8 * k);
    k0 = k0 * qpower + 1;
    k1 = k1 * qpower + (k1a + k1b * msquared);
    k2 = k2 * qpower + (k2a + k2b * msquared + k2c * mfour);
    k3 = k3 * qpower + (k3a + k3b * msquared + k3c * mfour + k3d * msix);
  }
  k0 = (k0 * q * SQRT2PI) / z;
  k1 = (k1 * q * SQRT2PI) / (6 * zfour);
  k2 = (k2 * q * SQRT2PI) / (72 * z ** 7);
  k3 = (k3 * q * SQRT2PI) / (6480 * z ** 10);
  // The remaining sums over all integers k of K2 and K3.
  q = Math.exp(-PI_SQUARED / 2 / zsquared);
  const sqrt3z = Math.sqrt(3) * z;
  let k2extra = 0;
  let k3extra = 0;
  for (let k = maxk; k > 0; k--) {
    const ksquared = k ** 2;
    const qpwer = q ** ksquared;
    const kspi = Math.PI * k;
    k2extra += ksquared * qpwer;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
  }
  k2 += k2extra * ((PI_SQUARED * SQRT2PI) / (-36 * zthree));
  k3 += k3extra * ((PI_SQUARED * SQRT2PI) / (216 * zsix));
  return k0 + k1 / n ** 0.5 + k2 / n + k3 / n ** 1.5;
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}
