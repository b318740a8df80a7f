import { describe, expect, it } from "vitest";
import {
  type ClassificationRow,
  classificationPartial,
  finishClassification,
  mergeClassificationPartials,
} from "#shared/performance/classification";
import { classificationReportSchema } from "#shared/schemas/performance-metrics";
import { Random } from "../../support/random.ts";
import { partitionsOf } from "./support/partitions.ts";

const reportOf = (rows: ClassificationRow[]) => finishClassification(classificationPartial(rows));

/** Binary rows from actual labels and the probability of label 1. */
const binaryRows = (actual: number[], scores: number[]): ClassificationRow[] =>
  actual.map((label, i) => {
    const score = scores[i] as number;
    return { label, prediction: score >= 0.5 ? 1 : 0, probabilities: { "0": 1 - score, "1": score } };
  });

describe("finishClassification", () => {
  it("reports the label metrics of sklearn's precision_recall_fscore_support docstring example", () => {
    const actual = ["cat", "dog", "pig", "cat", "dog", "pig"];
    const predicted = ["cat", "pig", "dog", "cat", "cat", "dog"];
    const report = reportOf(actual.map((label, i) => ({ label, prediction: predicted[i] as string })));
    expect(report.rows).toBe(6);
    expect(report.accuracy).toBe(1 / 3);
    expect(report.confusionMatrix.labels).toEqual(["cat", "dog", "pig"]);
    expect(report.perClass.map((score) => score.support)).toEqual([2, 2, 2]);
    expect(report.macro).toEqual({ precision: 2 / 9, recall: 1 / 3, f1: 0.8 / 3 });
    expect(classificationReportSchema.parse(report)).toEqual(report);
  });

  it("matches sklearn's log_loss docstring example", () => {
    // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) -> 0.21616...
    // (columns in label order: ham, spam)
    const probabilities = [
      [0.1, 0.9],
      [0.9, 0.1],
      [0.8, 0.2],
      [0.35, 0.65],
    ];
    const rows = ["spam", "ham", "ham", "spam"].map((label, i) => {
      const [ham, spam] = probabilities[i] as [number, number];
      return { label, prediction: spam > ham ? "spam" : "ham", probabilities: { ham, spam } };
    });
    const report = reportOf(rows);
    const expected = -(Math.log(0.9) + Math.log(0.9) + Math.log(0.8) + Math.log(0.65)) / 4;
    expect(report.logLoss).toBeCloseTo(expected, 15);
    expect(String(report.logLoss)).toMatch(/^0\.21616/);
  });

  it("scores the binary ROC AUC of sklearn's user-guide example for the second label", () => {
    // roc_auc_score(y_true=[0, 0, 1, 1], y_scores=[0.1, 0.4, 0.35, 0.8]) -> 0.75
    const report = reportOf(binaryRows([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]));
    expect(report.rocAuc).toEqual({ value: 0.75, positiveLabel: "1" });
  });

  it("scores the same binary area whichever label sorts second, when probabilities sum to 1", () => {
    const rows = binaryRows([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]).map((row) => ({
      ...row,
      label: row.label === 1 ? "yes" : "no",
      probabilities: { no: row.probabilities?.["0"] ?? 0, yes: row.probabilities?.["1"] ?? 0 },
    }));
    expect(reportOf(rows).rocAuc).toEqual({ value: 0.75, positiveLabel: "yes" });
    const flipped = rows.map((row) => ({
      ...row,
      label: row.label === "yes" ? "a" : "b",
      probabilities: { a: row.probabilities.yes, b: row.probabilities.no },
    }));
    expect(reportOf(flipped).rocAuc).toEqual({ value: 0.75, positiveLabel: "b" });
  });

  it("averages one-vs-rest areas as sklearn's test_multiclass_ovr_roc_auc_toydata does", () => {
    // y_true = ["a", "b", "c", "c"], y_scores = [[1, 0, 0], [.1, .5, .4], [.1, .1, .8], [.3, .3, .4]]:
    // a vs rest 1, b vs rest 1, c vs rest (0.8 and 0.4 against 0 and 0.4) 3.5 / 4, mean 0.958333...
    const scores = [
      [1, 0, 0],
      [0.1, 0.5, 0.4],
      [0.1, 0.1, 0.8],
      [0.3, 0.3, 0.4],
    ];
    const rows = ["a", "b", "c", "c"].map((label, i) => {
      const [a, b, c] = scores[i] as [number, number, number];
      return { label, prediction: label, probabilities: { a, b, c } };
    });
    expect(reportOf(rows).rocAuc).toEqual({
      value: (1 + 1 + 0.875) / 3,
      multiClass: "ovr",
      average: "macro",
    });
  });

  it("does not score ROC AUC while a class never occurs among the actual labels", () => {
    const rows = ["a", "b", "a"].map((label) => ({
      label,
      prediction: label,
      probabilities: { a: 0.5, b: 0.3, c: 0.2 },
    }));
    expect(reportOf(rows).rocAuc).toEqual({
      notApplicable: 'ROC AUC is undefined while a class never occurs among the actual labels: "c"',
    });
    const single = reportOf(binaryRows([1, 1], [0.7, 0.9]));
    expect(single.rocAuc).toEqual({
      notApplicable: 'ROC AUC is undefined while a class never occurs among the actual labels: "0"',
    });
    expect(single.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.9)) / 2, 15);
  });

  it("refuses one-vs-rest ROC AUC for probabilities that do not sum to 1, as sklearn does", () => {
    const rows: ClassificationRow[] = [
      { label: "a", prediction: "a", probabilities: { a: 0.9 } },
      { label: "b", prediction: "b", probabilities: { a: 0.1, b: 0.8, c: 0.1 } },
      { label: "c", prediction: "c", probabilities: { a: 0.1, b: 0.1, c: 0.8 } },
    ];
    const report = reportOf(rows);
    expect(report.probabilities).toEqual({ rows: 3, missing: 0, notSummingToOne: 1 });
    expect(report.rocAuc).toEqual({
      notApplicable: "one-vs-rest ROC AUC needs probabilities that sum to 1 over the classes; 1 rows' do not",
    });
    // Log loss reads only the actual label's probability and does not renormalise (sklearn >= 1.5).
    expect(report.logLoss).toBeCloseTo(-(Math.log(0.9) + 2 * Math.log(0.8)) / 3, 15);
  });

  it("computes ROC AUC and log loss on the rows that logged probabilities only", () => {
    const rows: ClassificationRow[] = [
      ...binaryRows([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]),
      { label: 1, prediction: 0 },
      { label: 0, prediction: 0, probabilities: {} },
    ];
    const report = reportOf(rows);
    expect(report.rows).toBe(6);
    expect(report.probabilities).toEqual({ rows: 4, missing: 2, notSummingToOne: 0 });
    expect(report.rocAuc).toEqual({ value: 0.75, positiveLabel: "1" });
    expect(report.accuracy).toBe(4 / 6);
  });

  it("reports ROC AUC and log loss as not applicable when no row logged probabilities", () => {
    const report = reportOf([
      { label: "a", prediction: "a" },
      { label: "b", prediction: "a" },
    ]);
    const reason = { notApplicable: "no labelled prediction logged probabilities" };
    expect(report.rocAuc).toEqual(reason);
    expect(report.logLoss).toEqual(reason);
    expect(report.accuracy).toBe(0.5);
  });

  it("treats a class missing from a row's probabilities as probability 0", () => {
    const rows: ClassificationRow[] = [
      { label: "a", prediction: "a", probabilities: { a: 1 } },
      { label: "b", prediction: "b", probabilities: { b: 1 } },
    ];
    const report = reportOf(rows);
    expect(report.rocAuc).toEqual({ value: 1, positiveLabel: "b" });
    expect(report.logLoss).toBeCloseTo(-Math.log(1 - 2 ** -52), 20);
    const missed = reportOf([
      { label: "a", prediction: "b", probabilities: { b: 1 } },
      rows[1] as ClassificationRow,
    ]);
    expect(missed.logLoss).toBeCloseTo((52 * Math.LN2 - Math.log(1 - 2 ** -52)) / 2, 12);
  });

  it("reports ROC AUC and log loss as not applicable for a single class", () => {
    const report = reportOf([
      { label: "a", prediction: "a", probabilities: { a: 1 } },
      { label: "a", prediction: "a", probabilities: { a: 0.9 } },
    ]);
    expect(report.accuracy).toBe(1);
    expect(report.macro).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(report.rocAuc).toEqual({ notApplicable: 'ROC AUC needs two classes; only "a" occurs' });
    expect(report.logLoss).toEqual({ notApplicable: 'log loss needs at least two labels; only "a" occurs' });
  });

  it("matches numeric predictions with string labels", () => {
    const report = reportOf([
      { label: "1", prediction: 1 },
      { label: 0, prediction: "0" },
    ]);
    expect(report.accuracy).toBe(1);
    expect(report.confusionMatrix.labels).toEqual(["0", "1"]);
  });

  it("says no label has arrived instead of reporting an empty window's metrics", () => {
    const report = reportOf([]);
    const reason = { notApplicable: "no prediction has a ground-truth label yet" };
    expect(report).toEqual({
      rows: 0,
      accuracy: reason,
      macro: reason,
      weighted: reason,
      perClass: [],
      confusionMatrix: { labels: [], counts: [] },
      rocAuc: reason,
      logLoss: reason,
      probabilities: { rows: 0, missing: 0, notSummingToOne: 0 },
    });
    expect(classificationReportSchema.safeParse(report).success).toBe(true);
  });
});

describe("mergeClassificationPartials", () => {
  /** Rows of four classes; some partitions never see "d", and some rows log partial or no probabilities. */
  function randomRows(random: Random, count: number): ClassificationRow[] {
    const classes = ["a", "b", "c", "d"];
    return Array.from({ length: count }, (_, i) => {
      const label = classes[i < count / 2 ? random.int(3) : random.int(4)] as string;
      const prediction = random.next() < 0.7 ? label : (classes[random.int(4)] as string);
      const draw = random.next();
      if (draw < 0.1) return { label, prediction };
      const weights = classes.map(() => Math.round(random.next() * 4) / 4);
      const total = weights.reduce((sum, weight) => sum + weight, 0) || 1;
      const probabilities = Object.fromEntries(
        classes
          .map((name, k) => [name, (weights[k] as number) / total])
          .filter(([, p]) => draw > 0.3 || p !== 0),
      );
      return { label, prediction, probabilities };
    });
  }

  it("gives exactly the report of one pass, however the rows are partitioned", () => {
    const random = new Random(21);
    const rows = randomRows(random, 600);
    const whole = reportOf(rows);
    expect(whole.rocAuc).toHaveProperty("value");
    for (let trial = 0; trial < 5; trial++) {
      const merged = partitionsOf(rows, 2 + random.int(6), random)
        .map(classificationPartial)
        .reduce(mergeClassificationPartials);
      expect(finishClassification(merged)).toEqual(whole);
    }
  });

  it("gives exactly the one-pass binary report when a partition has no probabilities at all", () => {
    const rows = binaryRows([0, 0, 1, 1, 1, 0], [0.1, 0.4, 0.35, 0.8, 0.8, 0.2]);
    const unscored: ClassificationRow[] = [{ label: 1, prediction: 1 }];
    const merged = mergeClassificationPartials(
      mergeClassificationPartials(classificationPartial(rows.slice(0, 2)), classificationPartial(unscored)),
      classificationPartial(rows.slice(2)),
    );
    expect(finishClassification(merged)).toEqual(
      reportOf([...rows.slice(0, 2), ...unscored, ...rows.slice(2)]),
    );
  });
});
