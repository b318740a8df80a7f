import type { NotApplicable, RegressionReport } from "#shared/schemas/performance-metrics";
import { ExactSum } from "./exact-sum.ts";
import { finiteOr, notApplicable } from "./metric-value.ts";

/** sklearn's floor on |y| in MAPE's denominator, `np.finfo(np.float64).eps`. */
const MAPE_EPSILON = Number.EPSILON;

/**
 * The sums every regression metric is computed from, each exact ({@link ExactSum}), so partitions merge into
 * exactly the result of one pass ({@link mergeRegressionPartials}).
 */
export interface RegressionPartial {
  readonly rows: number;
  /** Σ |yᵢ − ŷᵢ| */
  readonly absoluteErrors: ExactSum;
  /** Σ (yᵢ − ŷᵢ)², each square rounded as numpy's `** 2` rounds it */
  readonly squaredErrors: ExactSum;
  /** Σ |yᵢ − ŷᵢ| / max(|yᵢ|, ε) */
  readonly relativeErrors: ExactSum;
  /** Σ yᵢ */
  readonly actuals: ExactSum;
  /** Σ yᵢ², each square exact */
  readonly squaredActuals: ExactSum;
}

/**
 * The partial result of one partition's rows: actual (ground truth) and predicted values, pairwise.
 *
 * @example
 * const report = finishRegression(regressionPartial(new Float64Array([3, -0.5, 2, 7]), new Float64Array([2.5, 0, 2, 8])));
 */
export function regressionPartial(actual: Float64Array, predicted: Float64Array): RegressionPartial {
  if (actual.length !== predicted.length) {
    throw new RangeError(`${actual.length} actual values but ${predicted.length} predictions`);
  }
  const absoluteErrors = new ExactSum();
  const squaredErrors = new ExactSum();
  const relativeErrors = new ExactSum();
  const actuals = new ExactSum();
  const squaredActuals = new ExactSum();
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    const error = (predicted[i] as number) - y;
    const absoluteError = Math.abs(error);
    absoluteErrors.add(absoluteError);
    squaredErrors.add(error * error);
    relativeErrors.add(absoluteError / Math.max(Math.abs(y), MAPE_EPSILON));
    actuals.add(y);
    squaredActuals.addProduct(y, y);
  }
  return { rows: actual.length, absoluteErrors, squaredErrors, relativeErrors, actuals, squaredActuals };
}

/** The partial result of both partitions' rows, exactly as if they had been one; neither input changes. */
export function mergeRegressionPartials(a: RegressionPartial, b: RegressionPartial): RegressionPartial {
  return {
    rows: a.rows + b.rows,
    absoluteErrors: ExactSum.merge(a.absoluteErrors, b.absoluteErrors),
    squaredErrors: ExactSum.merge(a.squaredErrors, b.squaredErrors),
    relativeErrors: ExactSum.merge(a.relativeErrors, b.relativeErrors),
    actuals: ExactSum.merge(a.actuals, b.actuals),
    squaredActuals: ExactSum.merge(a.squaredActuals, b.squaredActuals),
  };
}

/** The regression report of the rows behind a partial result. */
export function finishRegression(partial: RegressionPartial): RegressionReport {
  return {
    rows: partial.rows,
    mae: meanAbsoluteError(partial),
    rmse: rootMeanSquaredError(partial),
    mape: meanAbsolutePercentageError(partial),
    r2: r2Score(partial),
  };
}

/**
 * `sklearn.metrics.mean_absolute_error(y_true, y_pred)`: (1/n) Σ |yᵢ − ŷᵢ|.
 *
 * @example
 * // sklearn's docstring: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]
 * meanAbsoluteError(partial); // 0.5
 */
export function meanAbsoluteError(partial: RegressionPartial): number | NotApplicable {
  if (partial.rows === 0) return noRows();
  return finiteOr(partial.absoluteErrors.value() / partial.rows, "mae");
}

/**
 * `sklearn.metrics.root_mean_squared_error(y_true, y_pred)`, the square root of `mean_squared_error`:
 * √((1/n) Σ (yᵢ − ŷᵢ)²).
 *
 * @example
 * // sklearn's docstrings: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]; mean_squared_error 0.375
 * rootMeanSquaredError(partial); // 0.6123724356957945 (= √0.375)
 */
export function rootMeanSquaredError(partial: RegressionPartial): number | NotApplicable {
  if (partial.rows === 0) return noRows();
  return finiteOr(Math.sqrt(partial.squaredErrors.value() / partial.rows), "rmse");
}

/**
 * `sklearn.metrics.mean_absolute_percentage_error(y_true, y_pred)`: (1/n) Σ |yᵢ − ŷᵢ| / max(|yᵢ|, ε) with
 * ε = 2^-52. A ratio, not a percentage; an actual value of 0 makes it enormous (|ŷᵢ| / 2^-52) rather than
 * infinite, as in sklearn, whose docstring warns of exactly that.
 *
 * @example
 * // sklearn's docstring: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]
 * meanAbsolutePercentageError(partial); // 0.3273…
 */
export function meanAbsolutePercentageError(partial: RegressionPartial): number | NotApplicable {
  if (partial.rows === 0) return noRows();
  return finiteOr(partial.relativeErrors.value() / partial.rows, "mape");
}

/**
 * `sklearn.metrics.r2_score(y_true, y_pred)` with its default `force_finite=True`:
 *
 *   R² = 1 − Σ (yᵢ − ŷᵢ)² / Σ (yᵢ − ȳ)²
 *
 * and, for a constant target (Σ (yᵢ − ȳ)² = 0), 1 when every prediction is exact and 0 otherwise, where the
 * formula would give NaN or −∞. Not applicable below two rows, where sklearn warns and returns NaN.
 *
 * Σ (yᵢ − ȳ)² = (n Σ yᵢ² − (Σ yᵢ)²) / n is evaluated exactly from the exact sums, rounded once before the
 * division, so a constant target is recognised exactly. numpy's two-pass sum can leave a spurious ~1e-33 for
 * a constant target whose mean does not round back to it (y = [0.1, 0.1, 0.1]), and sklearn then divides by
 * it; here that target is constant and scores 1 or 0.
 *
 * @example
 * // sklearn's docstring: y_true = [3, -0.5, 2, 7], y_pred = [2.5, 0.0, 2, 8]
 * r2Score(partial); // 0.948…
 */
export function r2Score(partial: RegressionPartial): number | NotApplicable {
  const n = partial.rows;
  if (n < 2) return notApplicable("R² is not well-defined with less than two rows");
  const residual = partial.squaredErrors.value();
  const spread = centredSquares(partial.actuals, partial.squaredActuals, n);
  if (!Number.isFinite(residual) || !Number.isFinite(spread))
    return notApplicable("r2 is not finite (overflow)");
  if (residual === 0) return 1;
  if (spread === 0) return 0;
  return 1 - residual / spread;
}

const noRows = () => notApplicable("no prediction has a ground-truth value yet");

/** Σ (yᵢ − ȳ)² = (n Σ y² − (Σ y)²) / n from the exact Σ y and Σ y², every product exact (Dekker). */
function centredSquares(sum: ExactSum, squares: ExactSum, n: number): number {
  if (!Number.isFinite(sum.value()) || !Number.isFinite(squares.value())) return Number.NaN;
  const scaled = new ExactSum();
  for (const part of squares.components()) scaled.addProduct(n, part);
  const parts = sum.components();
  for (const a of parts) for (const b of parts) scaled.addProduct(-a, b);
  return scaled.value() / n;
}
