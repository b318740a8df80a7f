/**
 * The shapes the dashboard reads: the API client's answer types, composed from the schemas the
 * handlers answer with (types only, so the bundle carries no zod).
 */
import type { DriftAnswer, PerformanceAnswer } from "#shared/client/api-types";

export type {
  AlertListAnswer,
  AlertView,
  DriftAnswer,
  LatencyAnswer,
  LatencyEntry,
  LatestDrift,
  ModelConfig,
  ModelListAnswer,
  PerformanceAnswer,
  Problem,
} from "#shared/client/api-types";
export type { CheckDistributions, FeatureHistogram } from "#shared/schemas/distributions";

/** One check of `GET /v1/models/{id}/drift`'s history. */
export type DriftHistoryEntry = DriftAnswer["history"][number];

/** One check of `GET /v1/models/{id}/performance`'s history; `status` is null for a check without one. */
export type PerformanceHistoryEntry = PerformanceAnswer["history"][number];
