/**
 * What the client's calls take and answer. Requests are the input side of the API's own zod schemas
 * (what may be sent, defaults left out); answers are the schemas' parsed side, composed the way the
 * handlers compose them. test/shared/client/api-types.test.ts checks these against the handlers' types.
 */
import type { z } from "zod";
import type { Alert, AlertState, Notification } from "#shared/schemas/alert";
import type {
  BaselineMultipartUpload,
  BaselineRegistrationAccepted,
  BaselineUploadUrl,
  BaselineVersion,
  baselineRequestSchema,
  baselineUploadRequestSchema,
  checkRequestSchema,
} from "#shared/schemas/baseline";
import type { CheckResult, DriftSummary, PerformanceSummary } from "#shared/schemas/check-result";
import type { DriftReport } from "#shared/schemas/drift-report";
import type { groundTruthLabelSchema } from "#shared/schemas/ground-truth";
import type { HistoryQuery } from "#shared/schemas/history-query";
import type { ModelConfig, modelConfigSchema } from "#shared/schemas/model-config";
import type { ModelId } from "#shared/schemas/model-id";
import type { LatencyReport, VolumeAnomaly } from "#shared/schemas/performance-metrics";
import type { PerformanceReport } from "#shared/schemas/performance-report";
import type { predictionRecordSchema } from "#shared/schemas/prediction-record";

export type { RetryPolicy } from "#shared/http/with-retries";
export type { BaselineUploadStatus, BaselineVersion } from "#shared/schemas/baseline";
export type { FieldError, Problem } from "#shared/schemas/problem";
export type { Alert, AlertState, CheckResult, DriftReport, ModelConfig, Notification, PerformanceReport };

/** A model's configuration as `PUT /v1/models/{modelId}` takes it: only `task` is required. */
export type ModelConfigInput = z.input<typeof modelConfigSchema>;
/** One prediction as it is logged (CONTRACT §2 Record). */
export type PredictionRecordInput = z.input<typeof predictionRecordSchema>;
export type GroundTruthLabelInput = z.input<typeof groundTruthLabelSchema>;
/** `{records}`, `{window: {from, to}}` or `{upload: {id, ...}}`. */
export type BaselineRequestInput = z.input<typeof baselineRequestSchema>;
/** `{bytes}` for a multipart upload. */
export type BaselineUploadRequestInput = z.input<typeof baselineUploadRequestSchema>;
export type CheckRequestInput = z.input<typeof checkRequestSchema>;
/** `?from=&to=&limit=&cursor=` of the drift, latency and performance histories. */
export type HistoryQueryInput = Partial<HistoryQuery>;
/** `?model=&state=&limit=&cursor=` of `GET /v1/alerts`. */
export type AlertQuery = { model?: ModelId; state?: AlertState } & Pick<
  HistoryQueryInput,
  "limit" | "cursor"
>;

export interface HealthAnswer {
  status: "ok";
}

export interface ModelListAnswer {
  models: Array<{ modelId: ModelId; config: ModelConfig; updatedAt: string }>;
}

/** The new token, shown once: only its hash is stored. */
export interface CreatedToken {
  token: string;
  tokenId: string;
  modelId: ModelId;
}

export interface IngestAnswer {
  accepted: number;
  /** The ids of the records, in request order. */
  ids: string[];
  /** How many of the ids an earlier request had stored already, so were not stored again. */
  duplicates: number;
}

export interface GroundTruthAnswer {
  accepted: number;
  /** Ids with no stored prediction of this model (not yet ingested, expired, or mistyped). */
  unmatched: string[];
}

/** 200 `{version, rows}` when the baseline is stored, or 202 for a large upload still registering. */
export type PutBaselineAnswer = Pick<BaselineVersion, "version" | "rows"> | BaselineRegistrationAccepted;

export interface BaselineAnswer {
  current: BaselineVersion | null;
  versions: BaselineVersion[];
}

/** One pre-signed PUT, or (with `{bytes}`) a multipart upload. */
export type BaselineUploadAnswer = BaselineUploadUrl | BaselineMultipartUpload;

export type CheckAnswer = CheckResult & {
  driftReport: DriftReport | null;
  performanceReport: PerformanceReport;
  notifications: Notification[];
};

type CheckOf = Pick<CheckResult, "checkId" | "window" | "checkedAt">;

/** The newest check's drift: the full report, or its status when it had no verdict (no baseline, too few rows). */
export type LatestDrift =
  | (CheckOf & DriftSummary & { status: Exclude<DriftSummary["status"], "ok"> })
  | (Pick<CheckResult, "checkId" | "checkedAt"> & {
      status: "ok";
      baselineVersion: number | undefined;
    } & DriftReport);

export interface DriftAnswer {
  latest: LatestDrift | null;
  history: Array<CheckOf & Pick<CheckResult, "rows"> & DriftSummary>;
  next?: string;
}

export type LatencyEntry = Pick<CheckResult, "checkId" | "window" | "slo"> &
  Pick<LatencyReport, "p50" | "p95" | "p99" | "errorRate"> & { count: number; volume: VolumeAnomaly };

/** The newest check's latency (`{count: 0, window: null}` before the first), and each check's. */
export type LatencyAnswer = (LatencyEntry | { count: number; window: null }) & {
  history: LatencyEntry[];
  next?: string;
};

export interface PerformanceAnswer {
  latest: PerformanceReport | null;
  history: Array<
    CheckOf &
      Pick<CheckResult, "rows"> &
      (PerformanceSummary | { status: null }) & {
        /** What the labels received since say of the window, from the newest report. */
        realised: { labelled: number; accuracy?: number | null; mae?: number | null } | null;
      }
  >;
  next?: string;
}

/** An alert as the API shows it, without the bookkeeping of its writes. */
export type AlertView = Omit<Alert, "version" | "outbox">;

export interface AlertListAnswer {
  alerts: AlertView[];
  next?: string;
}
