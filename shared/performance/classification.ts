import type { GroundTruthLabel } from "#shared/schemas/ground-truth";
import type { ClassificationReport, NotApplicable, RocAuc } from "#shared/schemas/performance-metrics";
import type { PredictionRecord } from "#shared/schemas/prediction-record";
import { accuracy } from "./accuracy.ts";
import { type ConfusionCounts, confusionMatrix, countPair, mergeConfusion } from "./confusion.ts";
import { ExactSum } from "./exact-sum.ts";
import { labelOf, sortLabels } from "./labels.ts";
import { logLossTerm } from "./log-loss.ts";
import { notApplicable } from "./metric-value.ts";
import { precisionRecallF1 } from "./precision-recall-f1.ts";
import { loggedProbabilities, probabilityOf } from "./probabilities.ts";
import { rocAuc } from "./roc-auc.ts";
import { mergeSorted } from "./sorted-merge.ts";

/** A prediction joined with its ground-truth label. */
export type ClassificationRow = Pick<PredictionRecord, "prediction" | "probabilities"> &
  Pick<GroundTruthLabel, "label">;

/** One class's probabilities on the rows where it is the actual label, and on the others; both ascending. */
export interface ClassScores {
  readonly positives: Float64Array;
  readonly negatives: Float64Array;
}

/**
 * Everything the classification metrics need from a set of rows, in a form that merges exactly
 * ({@link mergeClassificationPartials}): label counts, an exact sum of log-loss terms, and the sorted scores
 * of every class, which is what an exact ROC AUC needs. Memory is one double per class per row with
 * probabilities.
 */
export interface ClassificationPartial {
  readonly rows: number;
  readonly confusion: ConfusionCounts;
  /** Rows that logged probabilities; ROC AUC and log loss are computed on these. */
  readonly scored: number;
  readonly notSummingToOne: number;
  /** Σ −log(clip(p of the actual label)) over the scored rows. */
  readonly logLoss: ExactSum;
  /** Every class seen among the scored rows (a probability's label or an actual label), with its scores. */
  readonly scores: ReadonlyMap<string, ClassScores>;
}

/**
 * The partial result of one partition's rows. Labels compare as strings (a prediction of 1 matches the label
 * "1"). A row's probabilities map labels to probabilities; a label missing from the map has probability 0, and
 * a row without the map, or with an empty one, takes no part in ROC AUC and log loss.
 *
 * @example
 * const report = finishClassification(classificationPartial(rows));
 */
export function classificationPartial(rows: readonly ClassificationRow[]): ClassificationPartial {
  const confusion = new Map<string, Map<string, number>>();
  const logLoss = new ExactSum();
  const positiveCounts = new Map<string, number>();
  let scored = 0;
  let notSummingToOne = 0;
  for (const row of rows) {
    const actual = labelOf(row.label);
    countPair(confusion, actual, labelOf(row.prediction));
    const probabilities = loggedProbabilities(row);
    if (probabilities === undefined) continue;
    scored++;
    positiveCounts.set(actual, (positiveCounts.get(actual) ?? 0) + 1);
    let total = 0;
    for (const [label, probability] of Object.entries(probabilities)) {
      if (!positiveCounts.has(label)) positiveCounts.set(label, 0);
      total += probability;
    }
    if (!closeToOne(total)) notSummingToOne++;
    logLoss.add(logLossTerm(probabilityOf(probabilities, actual)));
  }
  return {
    rows: rows.length,
    confusion,
    scored,
    notSummingToOne,
    logLoss,
    scores: scoresOf(rows, positiveCounts, scored),
  };
}

/** The partial result of both partitions' rows, exactly as if they had been one; neither input changes. */
export function mergeClassificationPartials(
  a: ClassificationPartial,
  b: ClassificationPartial,
): ClassificationPartial {
  const scores = new Map<string, ClassScores>();
  for (const label of new Set([...a.scores.keys(), ...b.scores.keys()])) {
    scores.set(label, {
      positives: mergeSorted(positivesIn(a, label), positivesIn(b, label)),
      negatives: mergeSorted(negativesIn(a, label), negativesIn(b, label)),
    });
  }
  return {
    rows: a.rows + b.rows,
    confusion: mergeConfusion(a.confusion, b.confusion),
    scored: a.scored + b.scored,
    notSummingToOne: a.notSummingToOne + b.notSummingToOne,
    logLoss: ExactSum.merge(a.logLoss, b.logLoss),
    scores,
  };
}

/** The classification report of the rows behind a partial result. */
export function finishClassification(partial: ClassificationPartial): ClassificationReport {
  const matrix = confusionMatrix(partial.confusion);
  const probabilities = {
    rows: partial.scored,
    missing: partial.rows - partial.scored,
    notSummingToOne: partial.notSummingToOne,
  };
  if (partial.rows === 0) {
    const none = notApplicable("no prediction has a ground-truth label yet");
    return {
      rows: 0,
      accuracy: none,
      macro: none,
      weighted: none,
      perClass: [],
      confusionMatrix: matrix,
      rocAuc: none,
      logLoss: none,
      probabilities,
    };
  }
  const { perClass, macro, weighted } = precisionRecallF1(matrix);
  return {
    rows: partial.rows,
    accuracy: accuracy(matrix),
    macro,
    weighted,
    perClass,
    confusionMatrix: matrix,
    rocAuc: classificationRocAuc(partial),
    logLoss: classificationLogLoss(partial),
    probabilities,
  };
}

/**
 * ROC AUC of the scored rows, as sklearn computes it from the probabilities of the classes seen (the union of
 * probability labels and actual labels, in {@link sortLabels} order):
 * - two classes: `roc_auc_score(y_true, p[:, 1])`, the second class being the positive one, as sklearn's
 *   `label_binarize(y_true, classes=np.unique(y_true))` makes it (and as `predict_proba[:, 1]` is
 *   `classes_[1]`). With probabilities that sum to 1 the choice does not change the area.
 * - more: `roc_auc_score(y_true, P, multi_class="ovr", average="macro")`, the unweighted mean of each
 *   class's area against the rest.
 * Not applicable when some class never occurs among the actual labels (its area against the rest is 0/0, and
 * sklearn raises "Only one class present in y_true"), and, for more than two classes, when some row's
 * probabilities do not sum to 1 (sklearn raises "Target scores need to be probabilities").
 */
function classificationRocAuc(partial: ClassificationPartial): RocAuc {
  if (partial.scored === 0) return notApplicable("no labelled prediction logged probabilities");
  const classes = sortLabels(partial.scores.keys());
  if (classes.length < 2) return notApplicable(`ROC AUC needs two classes; only "${classes[0]}" occurs`);
  const absent = classes.filter((label) => partial.scores.get(label)?.positives.length === 0);
  if (absent.length > 0) {
    return notApplicable(
      `ROC AUC is undefined while a class never occurs among the actual labels: ${absent.map((l) => `"${l}"`).join(", ")}`,
    );
  }
  const areaOf = (label: string) => {
    const { positives, negatives } = partial.scores.get(label) as ClassScores;
    return rocAuc(positives, negatives);
  };
  if (classes.length === 2) {
    const positiveLabel = classes[1] as string;
    return { value: areaOf(positiveLabel), positiveLabel };
  }
  if (partial.notSummingToOne > 0) {
    return notApplicable(
      `one-vs-rest ROC AUC needs probabilities that sum to 1 over the classes; ${partial.notSummingToOne} rows' do not`,
    );
  }
  const total = classes.reduce((sum, label) => sum + areaOf(label), 0);
  return { value: total / classes.length, multiClass: "ovr", average: "macro" };
}

/**
 * Log loss of the scored rows, `sklearn.metrics.log_loss(y_true, P, labels=classes)` with the classes seen
 * (see {@link logLossTerm} for the clipping). Not applicable below two classes, where sklearn raises.
 */
function classificationLogLoss(partial: ClassificationPartial): number | NotApplicable {
  if (partial.scored === 0) return notApplicable("no labelled prediction logged probabilities");
  if (partial.scores.size < 2) {
    const [only] = partial.scores.keys();
    return notApplicable(`log loss needs at least two labels; only "${only}" occurs`);
  }
  return partial.logLoss.value() / partial.scored;
}

/** numpy's `np.allclose(1, total)` (rtol 1e-5, atol 1e-8), sklearn's test in `_multiclass_roc_auc_score`. */
function closeToOne(total: number): boolean {
  return Math.abs(1 - total) <= 1e-8 + 1e-5 * Math.abs(total);
}

/** Each class's sorted scores, given how many scored rows have each class as their actual label. */
function scoresOf(
  rows: readonly ClassificationRow[],
  positiveCounts: ReadonlyMap<string, number>,
  scored: number,
): Map<string, ClassScores> {
  const filling = [...positiveCounts].map(([label, positives]) => ({
    label,
    positives: new Float64Array(positives),
    negatives: new Float64Array(scored - positives),
    positivesFilled: 0,
    negativesFilled: 0,
  }));
  for (const row of rows) {
    const probabilities = loggedProbabilities(row);
    if (probabilities === undefined) continue;
    const actual = labelOf(row.label);
    for (const scores of filling) {
      const score = probabilityOf(probabilities, scores.label);
      if (scores.label === actual) scores.positives[scores.positivesFilled++] = score;
      else scores.negatives[scores.negativesFilled++] = score;
    }
  }
  return new Map(
    filling.map(({ label, positives, negatives }) => [
      label,
      { positives: positives.sort(), negatives: negatives.sort() },
    ]),
  );
}

function positivesIn(partial: ClassificationPartial, label: string): Float64Array {
  return partial.scores.get(label)?.positives ?? new Float64Array(0);
}

/**
 * A class the partition never saw was neither a probability's label nor an actual label there, so every
 * scored row of the partition gave it probability 0 as a negative.
 */
function negativesIn(partial: ClassificationPartial, label: string): Float64Array {
  return partial.scores.get(label)?.negatives ?? new Float64Array(partial.scored);
}
