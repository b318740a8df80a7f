import type {
  AccuracyEstimate,
  ConfidenceCalibration,
  IsotonicCurve,
  NotApplicable,
} from "#shared/schemas/performance-metrics";
import type { PredictionRecord } from "#shared/schemas/prediction-record";
import type { ClassificationRow } from "./classification.ts";
import { ExactSum } from "./exact-sum.ts";
import { fitIsotonic, predictIsotonic } from "./isotonic-regression.ts";
import { labelOf, sortLabels } from "./labels.ts";
import { notApplicable } from "./metric-value.ts";
import { loggedProbabilities, type Probabilities, probabilityOf } from "./probabilities.ts";

/** A prediction whose ground truth has not arrived. */
export type UnlabelledRow = Pick<PredictionRecord, "prediction" | "probabilities">;

/**
 * The identity on [0, 1], for a class whose reference labels are all one value: NannyML keeps such a class's
 * probabilities as they are (`needs_calibration` is false with one class present, so a `NoopCalibrator`).
 */
const identity = (): IsotonicCurve => ({ x: [0, 1], y: [0, 1] });

/**
 * Fits the probability calibration of confidence-based performance estimation (NannyML's CBPE,
 * `nannyml/calibration.py` and `performance_estimation/confidence_based/`) on a reference period with labels.
 * The classes are the labels seen there (probability labels and actual labels), in {@link sortLabels} order.
 * Only rows that logged probabilities take part; a class missing from a row's probabilities has probability 0.
 *
 * - Two classes: one isotonic regression (`IsotonicRegression(out_of_bounds="clip", increasing=True)`) of
 *   "the actual label is the positive class" (0 or 1) on the positive class's probability, the positive class
 *   being the second (NannyML's binary CBPE reads one probability column, that of class 1).
 * - More: one such regression per class, of "the actual label is this class" on this class's probability
 *   (NannyML's `_fit_calibrators`, one-vs-rest).
 *
 * NannyML calibrates a class only when `needs_calibration` finds that it lowers the expected calibration error
 * over a 10-fold `StratifiedShuffleSplit(random_state=42)`, which depends on numpy's random stream and cannot
 * be reproduced here: every class with both outcomes in the reference is calibrated. A class with one outcome
 * only is left as it is, as NannyML does.
 *
 * @example
 * const calibration = calibrateConfidence(referenceRows);
 * if (!("notApplicable" in calibration)) finishAccuracyEstimate(accuracyEstimatePartial(calibration, rows));
 */
export function calibrateConfidence(
  reference: readonly ClassificationRow[],
): ConfidenceCalibration | NotApplicable {
  const scored = reference.filter((row) => loggedProbabilities(row) !== undefined);
  if (scored.length === 0) return notApplicable("no reference row has both probabilities and a label");
  const seen = new Set<string>();
  for (const row of scored) {
    seen.add(labelOf(row.label));
    for (const label of Object.keys(row.probabilities ?? {})) seen.add(label);
  }
  const classes = sortLabels(seen);
  const [negative, positive] = classes;
  if (negative === undefined || positive === undefined) {
    return notApplicable(
      `confidence-based estimation needs two classes; the reference has only "${negative}"`,
    );
  }
  if (classes.length === 2) {
    return {
      method: "binary",
      classes: [negative, positive],
      positiveLabel: positive,
      curve: fitClass(scored, positive),
      referenceRows: scored.length,
    };
  }
  return {
    method: "one-vs-rest",
    classes,
    curves: classes.map((label) => fitClass(scored, label)),
    referenceRows: scored.length,
  };
}

/** The running sum behind an accuracy estimate, which merges exactly ({@link mergeAccuracyEstimatePartials}). */
export interface AccuracyEstimatePartial {
  /** Rows that logged probabilities. */
  readonly rows: number;
  readonly withoutProbabilities: number;
  /** Σ of each row's calibrated probability that its prediction is right. */
  readonly confidence: ExactSum;
}

/**
 * The partial accuracy estimate of one partition's rows: each row's calibrated probability that its predicted
 * class is right, summed (the estimate is their mean, {@link finishAccuracyEstimate}).
 *
 * - Binary (NannyML's `_estimate_accuracy` for binary CBPE): c = calibrated probability of the positive class;
 *   a positive prediction is right with probability c, a negative one with 1 − c.
 * - One-vs-rest (`_calibrate_predicted_probabilities` then `_estimate_accuracy`): every class's probability is
 *   calibrated by its own curve, the calibrated probabilities are divided by their sum (1/K each when the sum
 *   is 0), and the prediction is right with the probability of the predicted class.
 *
 * A predicted label that is not one of the reference's classes has no calibrated probability and counts as
 * wrong (0), as NannyML's one-hot encoding of the prediction against the known classes makes it.
 */
export function accuracyEstimatePartial(
  calibration: ConfidenceCalibration,
  rows: Iterable<UnlabelledRow>,
): AccuracyEstimatePartial {
  const confidence = new ExactSum();
  let scored = 0;
  let withoutProbabilities = 0;
  for (const row of rows) {
    const calibrated = calibratedConfidence(calibration, row);
    if (calibrated === undefined) {
      withoutProbabilities++;
      continue;
    }
    scored++;
    confidence.add(calibrated);
  }
  return { rows: scored, withoutProbabilities, confidence };
}

/** One prediction's calibrated probability of being right; undefined when it logged no probabilities. */
export function calibratedConfidence(
  calibration: ConfidenceCalibration,
  row: UnlabelledRow,
): number | undefined {
  const probabilities = loggedProbabilities(row);
  return probabilities === undefined
    ? undefined
    : confidenceOfPrediction(calibration, labelOf(row.prediction), probabilities);
}

/**
 * The estimated accuracy, the mean calibrated probability that a prediction is right, which the report can set
 * against the realised accuracy once the window's labels arrive.
 */
export function finishAccuracyEstimate(partial: AccuracyEstimatePartial): AccuracyEstimate {
  return {
    estimatedAccuracy:
      partial.rows > 0
        ? partial.confidence.value() / partial.rows
        : notApplicable("no prediction in the window logged probabilities"),
    rows: partial.rows,
    withoutProbabilities: partial.withoutProbabilities,
  };
}

function confidenceOfPrediction(
  calibration: ConfidenceCalibration,
  predicted: string,
  probabilities: Probabilities,
): number {
  if (calibration.method === "binary") {
    const [negative, positive] = calibration.classes;
    const calibrated = predictIsotonic(calibration.curve, probabilityOf(probabilities, positive));
    if (predicted === positive) return calibrated;
    return predicted === negative ? 1 - calibrated : 0;
  }
  const { classes, curves } = calibration;
  const index = classes.indexOf(predicted);
  if (index < 0) return 0;
  let total = 0;
  let ofPredicted = 0;
  classes.forEach((label, k) => {
    const calibrated = predictIsotonic(curves[k] as IsotonicCurve, probabilityOf(probabilities, label));
    total += calibrated;
    if (k === index) ofPredicted = calibrated;
  });
  return total === 0 ? 1 / classes.length : ofPredicted / total;
}

function fitClass(rows: readonly ClassificationRow[], label: string): IsotonicCurve {
  const scores = Float64Array.from(rows, (row) => probabilityOf(row.probabilities ?? {}, label));
  const outcomes = Float64Array.from(rows, (row) => (labelOf(row.label) === label ? 1 : 0));
  const positives = outcomes.reduce((sum, outcome) => sum + outcome, 0);
  if (positives === 0 || positives === outcomes.length) return identity();
  return fitIsotonic(scores, outcomes);
}
