/**
 * Where sklearn clips probabilities before taking their log: the machine epsilon of float64,
 * `np.finfo(y_pred.dtype).eps` (2^-52), its only choice since `log_loss` lost its `eps` parameter in 1.5.
 */
export const LOG_LOSS_EPSILON = Number.EPSILON;

/**
 * One row's share of the log loss: −log of the probability the model gave the actual label, clipped to
 * [ε, 1 − ε] so a confident miss costs −log ε ≈ 36.04 rather than infinity. The log loss is the mean of these
 * over the rows, as `sklearn.metrics.log_loss(y_true, y_pred, labels=...)` computes it since 1.5:
 *
 *   L = −(1/n) Σᵢ log(clip(pᵢ,yᵢ, ε, 1 − ε)),   ε = 2^-52
 *
 * Only the actual label's probability enters (the one-hot target zeroes the other terms), so a class the row
 * gave no probability counts as 0. Rows are not renormalised: sklearn 1.5 stopped dividing each row by its
 * sum (scikit-learn#28851) and only warns when a row does not sum to 1.
 *
 * @param probabilityOfActual the probability the model gave the row's actual label
 * @example
 * logLossTerm(0.9); // 0.10536051565782628 (= -Math.log(0.9))
 * logLossTerm(0); // 36.04365338911715 (= -Math.log(2 ** -52))
 */
export function logLossTerm(probabilityOfActual: number): number {
  return -Math.log(Math.min(Math.max(probabilityOfActual, LOG_LOSS_EPSILON), 1 - LOG_LOSS_EPSILON));
}
