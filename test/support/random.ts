/**
 * A seeded pseudo-random generator for tests that simulate data: mulberry32 for uniforms (a 32-bit
 * state, fast, and good enough for Monte Carlo at the sizes tests use), Box-Muller for normals. The same
 * seed always gives the same stream, so a measured rate is reproducible and a failure can be replayed.
 *
 * @example
 * const random = new Random(42);
 * random.normal(); // the same value on every run
 */
export class Random {
  private state: number;
  private spareNormal: number | undefined;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Uniform on [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal, by Box-Muller; each pair of uniforms gives two values, the second kept for later. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const spare = this.spareNormal;
      this.spareNormal = undefined;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()));
    const angle = 2 * Math.PI * this.next();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** exp(N(mu, sigma²)). */
  lognormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Student's t with an integer number of degrees of freedom: Z / sqrt(χ²_df / df). */
  studentT(df: number): number {
    let chiSquare = 0;
    for (let i = 0; i < df; i++) chiSquare += this.normal() ** 2;
    return this.normal() / Math.sqrt(chiSquare / df);
  }

  /** Poisson(lambda) by Knuth's multiplication method, fine for the small means tests use (< 30). */
  poisson(lambda: number): number {
    const limit = Math.exp(-lambda);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count++;
      product *= this.next();
    }
    return count;
  }

  /** An index drawn with the given probabilities (summing to 1). */
  choice(probabilities: readonly number[]): number {
    let u = this.next();
    for (let i = 0; i < probabilities.length - 1; i++) {
      u -= probabilities[i] as number;
      if (u < 0) return i;
    }
    return probabilities.length - 1;
  }
}
