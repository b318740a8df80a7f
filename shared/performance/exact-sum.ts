/** Veltkamp's splitting constant 2^27 + 1: splits a double into two halves of 26 bits whose products are exact. */
const SPLITTER = 134217729;

/**
 * A sum rounded once, exactly: the running total is kept as Shewchuk's expansion, a few non-overlapping
 * doubles whose exact sum is the exact sum of the terms (J. R. Shewchuk, "Adaptive Precision Floating-Point
 * Arithmetic and Fast Robust Geometric Predicates", 1997), and `value()` rounds it to the nearest double, ties
 * to even, as Python's `math.fsum` does.
 *
 * Being exact makes the result independent of the order of the terms and of how they were grouped, which is
 * what the performance checks need from it: each S3 object is summed apart, the partial sums are merged with
 * {@link ExactSum.merge}, and the total is the same double as one pass over all the rows would give. A plain
 * or compensated sum would differ in the last bits from one partitioning to another.
 *
 * A non-finite term, or a total beyond the double range, makes `value()` non-finite for good (NaN for +∞ and
 * −∞ together); callers report it as an overflow.
 *
 * @example
 * const sum = new ExactSum();
 * for (const v of [1e100, 1, -1e100, 0.1, 0.2]) sum.add(v);
 * sum.value(); // 1.3 (a running double sum gives 0.30000000000000004)
 */
export class ExactSum {
  /** The expansion: non-overlapping, increasing in magnitude, no zeros. */
  private parts: number[] = [];
  /** Non-finite terms and overflowed totals, added up as IEEE arithmetic does. */
  private special = 0;

  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.special += x;
      return;
    }
    const parts = this.parts;
    let kept = 0;
    for (let j = 0; j < parts.length; j++) {
      let y = parts[j] as number;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      if (!Number.isFinite(hi)) {
        this.special += hi;
        return;
      }
      const lo = y - (hi - x);
      if (lo !== 0) parts[kept++] = lo;
      x = hi;
    }
    parts.length = kept;
    parts.push(x);
  }

  /** Adds the exact product a·b (Dekker's two-product: the rounded product and its rounding error). */
  addProduct(a: number, b: number): void {
    const product = a * b;
    if (!Number.isFinite(product)) {
      this.special += product;
      return;
    }
    const aSplit = SPLITTER * a;
    const aHigh = aSplit - (aSplit - a);
    const aLow = a - aHigh;
    const bSplit = SPLITTER * b;
    const bHigh = bSplit - (bSplit - b);
    const bLow = b - bHigh;
    this.add(product);
    // NaN when splitting overflowed (|a| or |b| beyond ~1e300), which `add` then records as special.
    this.add(aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow);
  }

  /** The exact sum, rounded once to the nearest double (ties to even). */
  value(): number {
    if (this.special !== 0) return this.special;
    const parts = this.parts;
    let n = parts.length;
    if (n === 0) return 0;
    let hi = parts[--n] as number;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = parts[--n] as number;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // hi + lo rounded to hi; when the parts below point the same way as lo, the exact sum lies past the
    // halfway point and rounds the other way.
    const below = n > 0 ? (parts[n - 1] as number) : 0;
    if ((lo < 0 && below < 0) || (lo > 0 && below > 0)) {
      const twice = lo * 2;
      const x = hi + twice;
      if (twice === x - hi) hi = x;
    }
    return hi;
  }

  /** The doubles whose exact sum is the total, for further exact arithmetic on it; empty once non-finite. */
  components(): readonly number[] {
    return this.special === 0 ? this.parts : [];
  }

  /** A new sum of both totals, exact; neither input changes. */
  static merge(a: ExactSum, b: ExactSum): ExactSum {
    const merged = new ExactSum();
    merged.parts = [...a.parts];
    merged.special = a.special + b.special;
    for (const part of b.parts) merged.add(part);
    return merged;
  }
}
