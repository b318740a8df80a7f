/**
 * Running sum with Neumaier's compensation (Neumaier 1974, an improved Kahan summation): the result is
 * within an ulp or so of the exact sum whatever the number of terms, where a plain running sum over n
 * terms drifts by up to n ulps. The large-sample statistics need it where they subtract nearly equal sums.
 *
 * @example
 * const s = new NeumaierSum();
 * for (const v of [1, 1e100, 1, -1e100]) s.add(v);
 * s.value(); // 2
 */
export class NeumaierSum {
  private sum = 0;
  private compensation = 0;

  add(v: number): void {
    const t = this.sum + v;
    this.compensation += Math.abs(this.sum) >= Math.abs(v) ? this.sum - t + v : v - t + this.sum;
    this.sum = t;
  }

  value(): number {
    return this.sum + this.compensation;
  }
}
