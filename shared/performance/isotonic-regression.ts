import type { IsotonicCurve } from "#shared/schemas/performance-metrics";

/** sklearn's `_make_unique` treats x values closer than this as one: `np.finfo(np.float64).resolution`. */
const X_RESOLUTION = 1e-15;

/**
 * The non-decreasing function closest to the points in least squares, as
 * `sklearn.isotonic.IsotonicRegression(increasing=True, out_of_bounds="clip").fit(x, y)` fits it (NannyML's
 * `IsotonicCalibrator`):
 *
 *   minimise Σᵢ (yᵢ − f(xᵢ))²  subject to f(xᵢ) <= f(xⱼ) whenever xᵢ <= xⱼ
 *
 * 1. Sort by x, then y; points whose x lies within 1e-15 of the first of a run become one point whose y is
 *    the run's mean and whose weight is its length (sklearn's `_make_unique`).
 * 2. Pool adjacent violators (Ayer et al., Ann. Math. Statist. 26(4), 1955; Best & Chakravarti, Math.
 *    Programming 47, 1990): scanning left to right, merge the last block with the one before it while the
 *    earlier block's weighted mean is not below the later one's; each block's fitted value is its mean.
 * 3. Keep the first and last point and every point whose fitted value differs from a neighbour's, sklearn's
 *    `X_thresholds_` and `y_thresholds_`; the dropped points lie on flat segments, so predictions are unchanged.
 *
 * Written here because no small, maintained npm package does it (none is among the registry's packages listed
 * for this project), and the algorithm is a few dozen lines.
 *
 * @param x not empty, finite
 * @param y the same length as x, finite
 * @example
 * // sklearn's test_isotonic_regression: y = [3, 7, 5, 9, 8, 7, 10] at x = 0..6 fits [3, 6, 6, 8, 8, 8, 10]
 * fitIsotonic(new Float64Array([0, 1, 2, 3, 4, 5, 6]), new Float64Array([3, 7, 5, 9, 8, 7, 10]));
 * // { x: [0, 1, 2, 3, 5, 6], y: [3, 6, 6, 8, 8, 10] }
 */
export function fitIsotonic(x: Float64Array, y: Float64Array): IsotonicCurve {
  if (x.length === 0 || x.length !== y.length) {
    throw new RangeError(
      `isotonic regression needs as many y as x values, at least one (got ${x.length}, ${y.length})`,
    );
  }
  const order = Array.from(x, (_, i) => i).sort(
    (i, j) => (x[i] as number) - (x[j] as number) || (y[i] as number) - (y[j] as number),
  );
  const uniqueX: number[] = [];
  const meanY: number[] = [];
  const weight: number[] = [];
  let runX = x[order[0] as number] as number;
  let runSum = 0;
  let runLength = 0;
  for (const i of order) {
    const xi = x[i] as number;
    if (xi - runX >= X_RESOLUTION) {
      uniqueX.push(runX);
      meanY.push(runSum / runLength);
      weight.push(runLength);
      runX = xi;
      runSum = 0;
      runLength = 0;
    }
    runSum += y[i] as number;
    runLength++;
  }
  uniqueX.push(runX);
  meanY.push(runSum / runLength);
  weight.push(runLength);
  const fitted = poolAdjacentViolators(meanY, weight);
  const curve: IsotonicCurve = { x: [], y: [] };
  fitted.forEach((value, i) => {
    const last = fitted.length - 1;
    if (i === 0 || i === last || value !== fitted[i - 1] || value !== fitted[i + 1]) {
      curve.x.push(uniqueX[i] as number);
      curve.y.push(value);
    }
  });
  return curve;
}

/**
 * The fitted function at t, as sklearn's `IsotonicRegression.predict` with `out_of_bounds="clip"`: t is
 * clipped to the fitted x range, then interpolated linearly between the two neighbouring points by
 * `np.interp`'s arithmetic, slope · (t − xⱼ) + yⱼ, and exactly yⱼ at a point; a one-point curve is constant.
 *
 * @example
 * const curve = { x: [0, 1, 2, 3, 5, 6], y: [3, 6, 6, 8, 8, 10] };
 * predictIsotonic(curve, 0.5); // 4.5
 * predictIsotonic(curve, -4); // 3 (clipped to x = 0)
 */
export function predictIsotonic(curve: IsotonicCurve, t: number): number {
  const { x, y } = curve;
  const last = x.length - 1;
  const clipped = Math.min(Math.max(t, x[0] as number), x[last] as number);
  // j: the last point with x[j] <= clipped.
  let low = 0;
  let high = last;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((x[middle] as number) <= clipped) low = middle;
    else high = middle - 1;
  }
  const xj = x[low] as number;
  const yj = y[low] as number;
  if (low === last || xj === clipped) return yj;
  const slope = ((y[low + 1] as number) - yj) / ((x[low + 1] as number) - xj);
  return slope * (clipped - xj) + yj;
}

/** Weighted pool-adjacent-violators; pools blocks whose means are equal too, as sklearn's does. */
function poolAdjacentViolators(values: readonly number[], weights: readonly number[]): number[] {
  const blockSum: number[] = [];
  const blockWeight: number[] = [];
  const blockEnd: number[] = [];
  values.forEach((value, i) => {
    const w = weights[i] as number;
    blockSum.push(w * value);
    blockWeight.push(w);
    blockEnd.push(i + 1);
    let top = blockSum.length - 1;
    while (
      top > 0 &&
      (blockSum[top - 1] as number) / (blockWeight[top - 1] as number) >=
        (blockSum[top] as number) / (blockWeight[top] as number)
    ) {
      blockSum[top - 1] = (blockSum[top - 1] as number) + (blockSum.pop() as number);
      blockWeight[top - 1] = (blockWeight[top - 1] as number) + (blockWeight.pop() as number);
      blockEnd[top - 1] = blockEnd.pop() as number;
      top--;
    }
  });
  const fitted: number[] = [];
  blockEnd.forEach((end, b) => {
    const mean = (blockSum[b] as number) / (blockWeight[b] as number);
    while (fitted.length < end) fitted.push(mean);
  });
  return fitted;
}
