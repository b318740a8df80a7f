import type { Dataset } from "#shared/drift/dataset";
import { sortColumn } from "#shared/drift/sort-column";
import {
  type AccuracyEstimatePartial,
  calibratedConfidence,
} from "#shared/performance/confidence-based-estimation";
import { ExactSum } from "#shared/performance/exact-sum";
import type { LatencyPartial } from "#shared/performance/latency";
import type { ConfidenceCalibration } from "#shared/schemas/performance-metrics";
import type { PredictionRecord } from "#shared/schemas/prediction-record";
import { type DatasetSummary, DatasetSummaryBuilder, toDataset } from "#shared/summaries/dataset-summary";
import { StringSet } from "#shared/util/string-set";

/**
 * Names of the columns a summary of prediction records keeps beside the features. They start with a
 * control character, which no feature name may contain, so they can never collide with one.
 */
export const RECORD_COLUMNS = {
  prediction: "\u0000prediction",
  latencyMs: "\u0000latencyMs",
  error: "\u0000error",
  /**
   * Each record's calibrated probability that its prediction is right (confidence-based estimation),
   * for the records that logged probabilities, when the summary was built with a calibration.
   */
  confidence: "\u0000confidence",
} as const;

const OWN_COLUMNS = new Set<string>(Object.values(RECORD_COLUMNS));

/**
 * Summarises prediction records for the checks: every feature, the prediction, the latency, the
 * error flag and, given the calibration of confidence-based estimation, each record's calibrated
 * confidence, each a column of one {@link DatasetSummary}, so that one mergeable structure carries
 * everything the drift, latency, traffic and accuracy-estimate checks need. A record whose id was
 * already added is skipped: two concurrent requests carrying the same new id both reach S3, and count
 * once here.
 */
export class RecordSummaryBuilder {
  private readonly builder = new DatasetSummaryBuilder();
  private readonly ids = new StringSet();

  constructor(private readonly calibration?: ConfidenceCalibration) {}

  /** Adds a record unless its id was seen; returns whether it was added. */
  add(record: PredictionRecord): boolean {
    if (record.id !== undefined && !this.ids.add(record.id)) return false;
    this.builder.addRow(record.features);
    this.builder.addToLastRow(RECORD_COLUMNS.prediction, record.prediction);
    this.builder.addToLastRow(RECORD_COLUMNS.latencyMs, record.latencyMs);
    this.builder.addToLastRow(RECORD_COLUMNS.error, record.error ?? false);
    const confidence = this.calibration && calibratedConfidence(this.calibration, record);
    if (confidence !== undefined) this.builder.addToLastRow(RECORD_COLUMNS.confidence, confidence);
    return true;
  }

  finish(): DatasetSummary {
    return this.builder.finish();
  }
}

/** The features and the prediction of a record summary, as the drift engine reads them. */
export function driftDataset(summary: DatasetSummary): Dataset {
  const columns = new Map(
    [...summary.columns].filter(([name]) => !OWN_COLUMNS.has(name) || name === RECORD_COLUMNS.prediction),
  );
  return toDataset({ rows: summary.rows, columns });
}

/**
 * The accuracy estimate of the records behind a summary built with a calibration: the sum of their
 * confidences, summed exactly, so it is the very estimate one pass over the records gives however the
 * summary was split and merged.
 */
export function accuracyEstimateOf(summary: DatasetSummary): AccuracyEstimatePartial {
  const confidences = summary.columns.get(RECORD_COLUMNS.confidence)?.numbers ?? new Float64Array(0);
  const confidence = new ExactSum();
  for (const value of confidences) confidence.add(value);
  return { rows: confidences.length, withoutProbabilities: summary.rows - confidences.length, confidence };
}

/** The latency and error counts of the records behind a summary, as the latency report reads them. */
export function latencyPartialOf(summary: DatasetSummary): LatencyPartial {
  return {
    records: summary.rows,
    errors: summary.columns.get(RECORD_COLUMNS.error)?.categories.get("true") ?? 0,
    // The radix sort: the built-in sort's order, several times faster on a million latencies.
    latencies: sortColumn(summary.columns.get(RECORD_COLUMNS.latencyMs)?.numbers ?? new Float64Array(0))
      .sorted,
  };
}

/** The summary without its confidence column: what a baseline keeps of a checked window. */
export function withoutConfidence(summary: DatasetSummary): DatasetSummary {
  const columns = new Map(summary.columns);
  columns.delete(RECORD_COLUMNS.confidence);
  return { rows: summary.rows, columns };
}
