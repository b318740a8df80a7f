/**
 * The two exact algorithms for the CDF of the two-sided one-sample Kolmogorov-Smirnov statistic,
 * `P(D_n <= x)`, that `kstwo` (scipy 1.10, `scipy/stats/_ksstats.py`) uses for small n x^2:
 * `_kolmogn_DMTW` (Durbin's matrix as Marsaglia, Tsang & Wang compute it) and `_kolmogn_Pomeranz`.
 * Intermediate results are rescaled by powers of two, as scipy does, so neither overflows nor underflows.
 *
 * References: J. Durbin, "The Probability that the Sample Distribution Function Lies Between Two Parallel
 * Straight Lines", Ann. Math. Statist. 39, 1968; G. Marsaglia, W. W. Tsang, J. Wang, "Evaluating
 * Kolmogorov's Distribution", J. Stat. Softw. 8(18), 2003; J. Pomeranz, "Exact Cumulative Distribution
 * of the Kolmogorov-Smirnov Statistic for Small Samples (Algorithm 487)", CACM 17(12), 1974.
 * Both take 1 < n d and d < 1, as `kstwo` calls them.
 */

const EP128 = 2 ** 128;
const EM128 = 2 ** -128;

/**
 * P(D_n <= d) by Durbin's matrix: with d = (k - h)/n, the (k, k) entry of (n!/n^n) H^n for an
 * m x m matrix H, m = 2k - 1, raised by repeated squaring with power-of-two rescaling (MTW 2003).
 * O(m^3 log n) time, so `kstwo` keeps it to small n d.
 *
 * @example
 * durbinCdf(10, 0.274); // 0.6284796154565043, the worked value of Marsaglia, Tsang & Wang
 */
export function durbinCdf(n: number, d: number): number {
  const nd = n * d;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let fac = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1 - h ** j) * fac;
  }
  v[m - 1] = (1 + (Math.max(2 * h - 1, 0) ** m - 2 * h ** m)) * fac;
  let power: Float64Array = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) power[r * m + i] = w[r - i + 1] as number;
  }
  for (let r = 0; r < m; r++) power[r * m] = v[r] as number;
  for (let c = 0; c < m; c++) power[(m - 1) * m + c] = v[m - 1 - c] as number;

  let result: Float64Array = new Float64Array(m * m);
  for (let i = 0; i < m; i++) result[i * m + i] = 1;
  let exponent = 0;
  let powerExponent = 0;
  for (let nn = n; nn > 0; nn = Math.floor(nn / 2)) {
    if (nn % 2 === 1) {
      result = multiply(result, power, m);
      exponent += powerExponent;
    }
    power = multiply(power, power, m);
    powerExponent *= 2;
    if (Math.abs(power[(k - 1) * m + k - 1] as number) > EP128) {
      for (let i = 0; i < power.length; i++) power[i] = (power[i] as number) / EP128;
      powerExponent += 128;
    }
  }
  let p = result[(k - 1) * m + k - 1] as number;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < EM128) {
      p *= EP128;
      exponent -= 128;
    }
  }
  return clip(ldexp(p, exponent));
}

function multiply(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const out = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    const rowOut = i * m;
    for (let l = 0; l < m; l++) {
      const ail = a[rowOut + l] as number;
      if (ail === 0) continue;
      const rowB = l * m;
      for (let j = 0; j < m; j++)
        out[rowOut + j] = (out[rowOut + j] as number) + ail * (b[rowB + j] as number);
    }
  }
  return out;
}

/**
 * P(D_n <= x) by Pomeranz's recursion: 2n + 1 convolutions of a sliding window of a row with
 * (almost) Poisson weights, keeping two rows and rescaling by powers of two against underflow.
 * O(n^2 x) time.
 *
 * @example
 * pomeranzCdf(10, 0.274); // 0.6284796154565043, as durbinCdf: both are exact
 */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const npwrs = 2 * (ll + 1);
  // (g/n)^m/m!, (2g/n)^m/m!, ((1-2g)/n)^m/m!
  const gpower = new Float64Array(npwrs);
  const twogpower = new Float64Array(npwrs);
  const onem2gpower = new Float64Array(npwrs);
  gpower[0] = 1;
  twogpower[0] = 1;
  onem2gpower[0] = 1;
  for (let m = 1; m < npwrs; m++) {
    gpower[m] = ((gpower[m - 1] as number) * (g / n)) / m;
    twogpower[m] = ((twogpower[m - 1] as number) * ((2 * g) / n)) / m;
    onem2gpower[m] = ((onem2gpower[m - 1] as number) * ((1 - 2 * g) / n)) / m;
  }
  let v0 = new Float64Array(npwrs);
  let v1 = new Float64Array(npwrs);
  v1[0] = 1;
  let v0s = 0;
  let v1s = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzWindow(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [v0, v1] = [v1, v0];
    [v0s, v1s] = [v1s, v0s];
    v1.fill(0);
    [j1, j2] = pomeranzWindow(i, n, ll, ceilf, roundf);
    const pwrs = i === 1 || i === 2 * n + 1 ? gpower : i % 2 === 1 ? twogpower : onem2gpower;
    const ln2 = j2 - k1 + 1;
    if (ln2 > 0) {
      // Entries [j1 - k1, j2 - k1] of the full convolution of V0[k1 - v0s ..][:ln2] with pwrs[:ln2].
      const start = k1 - v0s;
      const lenA = Math.min(ln2, npwrs - start);
      const lenB = Math.min(ln2, npwrs);
      let max = 0;
      for (let c = j1 - k1, out = 0; c <= j2 - k1; c++, out++) {
        let acc = 0;
        for (let a = Math.max(0, c - lenB + 1); a <= Math.min(c, lenA - 1); a++) {
          acc += (v0[start + a] as number) * (pwrs[c - a] as number);
        }
        v1[out] = acc;
        max = Math.max(max, acc);
      }
      if (max > 0 && max < EM128) {
        for (let j = 0; j < npwrs; j++) v1[j] = (v1[j] as number) * EP128;
        exponent -= 128;
      }
      v1s = v0s + j1 - k1;
    }
  }
  let ans = v1[n - v1s] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(ans) > EP128) {
      ans *= EM128;
      exponent += 128;
    }
    ans *= m;
  }
  return clip(ldexp(ans, exponent));
}

/** `_pomeranz_compute_j1j2`: the window of non-zero entries of row i. */
function pomeranzWindow(i: number, n: number, ll: number, ceilf: number, roundf: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

function clip(p: number): number {
  return Math.min(1, Math.max(0, p));
}

/** p * 2^exponent without overflowing the power of two on the way. */
function ldexp(p: number, exponent: number): number {
  let value = p;
  let e = exponent;
  for (; e > 1000; e -= 1000) value *= 2 ** 1000;
  for (; e < -1000; e += 1000) value *= 2 ** -1000;
  return value * 2 ** e;
}
