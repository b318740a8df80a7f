import type { PredictionRecord } from "#shared/schemas/prediction-record";

/** A row's logged class probabilities, label to probability. */
export type Probabilities = NonNullable<PredictionRecord["probabilities"]>;

/**
 * A row's probabilities if it logged any: a row without the map, or with an empty one, has none and takes no
 * part in the metrics that need them.
 */
export function loggedProbabilities(row: Pick<PredictionRecord, "probabilities">): Probabilities | undefined {
  const { probabilities } = row;
  return probabilities !== undefined && Object.keys(probabilities).length > 0 ? probabilities : undefined;
}

/**
 * The probability a row gave a label; 0 for a label the map leaves out, as a `predict_proba` column of a class
 * the model does not score would hold. Own keys only, so a label such as "constructor" is not read off
 * `Object.prototype`.
 *
 * @example
 * probabilityOf({ cat: 0.7, dog: 0.3 }, "pig"); // 0
 */
export function probabilityOf(probabilities: Probabilities, label: string): number {
  return Object.hasOwn(probabilities, label) ? (probabilities[label] as number) : 0;
}
