import binomcoefln from "@stdlib/math-base-special-binomcoefln";

/**
 * The number of "good" items among `draws` items drawn without replacement from `good + bad` items
 * (scipy's `hypergeom(M = good + bad, n = good, N = draws)`): Fisher's exact test and the policy's
 * tail test read its tails.
 *
 * @example
 * new Hypergeometric(5, 5, 3).sf(2); // 0.0833... = P(all 3 draws good) = C(5, 3) / C(10, 3)
 */
export class Hypergeometric {
  readonly lowest: number;
  readonly highest: number;
  private readonly logNormaliser: number;

  constructor(
    readonly good: number,
    readonly bad: number,
    readonly draws: number,
  ) {
    this.lowest = Math.max(0, draws - bad);
    this.highest = Math.min(draws, good);
    this.logNormaliser = binomcoefln(good + bad, draws);
  }

  pmf(x: number): number {
    if (x < this.lowest || x > this.highest) return 0;
    return Math.exp(binomcoefln(this.good, x) + binomcoefln(this.bad, this.draws - x) - this.logNormaliser);
  }

  /** P(X ≤ x), summed downward from x. */
  cdf(x: number): number {
    if (x < this.lowest) return 0;
    if (x >= this.highest) return 1;
    let term = this.pmf(x);
    let sum = term;
    for (let k = x; k > this.lowest && term > sum * Number.EPSILON; k--) {
      term *= (k * (this.bad - this.draws + k)) / ((this.good - k + 1) * (this.draws - k + 1));
      sum += term;
    }
    return sum;
  }

  /** P(X > x), summed upward from x + 1. */
  sf(x: number): number {
    if (x < this.lowest) return 1;
    if (x >= this.highest) return 0;
    let term = this.pmf(x + 1);
    let sum = term;
    for (let k = x + 1; k < this.highest && term > sum * Number.EPSILON; k++) {
      term *= ((this.good - k) * (this.draws - k)) / ((k + 1) * (this.bad - this.draws + k + 1));
      sum += term;
    }
    return sum;
  }
}
