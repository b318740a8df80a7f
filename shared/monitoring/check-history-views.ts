import type { HistoryQuery } from "#shared/http/history-query";
import type { CheckResult } from "#shared/schemas/check-result";
import { type PerformanceReport, performanceReportSchema } from "#shared/schemas/performance-report";
import { listChecks } from "#shared/storage/check-history";
import { getJsonObject } from "#shared/storage/json-objects";

/**
 * What `GET /v1/models/{id}/drift` answers: the newest check's drift report in full (or its status
 * when it had no verdict: no baseline, too few rows), and the drift summary of every check in the
 * queried range, newest first, a page at a time.
 */
export async function driftView(modelId: string, query: HistoryQuery) {
  const { newest, page } = await newestAndPage(modelId, query);
  return {
    latest: newest ? await latestDrift(newest) : null,
    history: page.checks.map(({ checkId, window, checkedAt, rows, drift }) => ({
      checkId,
      window,
      checkedAt,
      rows,
      ...drift,
    })),
    ...(page.next ? { next: page.next } : {}),
  };
}

/**
 * What `GET /v1/models/{id}/performance` answers: the newest check's performance report in full, and
 * the performance summary of every check in the queried range, newest first, a page at a time. Each
 * history entry also carries what the ground truth received since says of that check's window
 * (`realised`: labelled predictions and realised accuracy, or MAE for regression), taken from the
 * newest report, which counts the labels of every check window in its two periods; so a window's
 * estimated accuracy stands next to its realised one once labels arrived. Older windows have
 * `realised: null`.
 */
export async function performanceView(modelId: string, query: HistoryQuery) {
  const { newest, page } = await newestAndPage(modelId, query);
  const latest = newest?.performance
    ? performanceReportSchema.parse(await getJsonObject(newest.performance.reportKey))
    : null;
  const realised = realisedByCheck(latest);
  return {
    latest,
    history: page.checks.map(({ checkId, window, checkedAt, rows, performance }) => ({
      checkId,
      window,
      checkedAt,
      rows,
      ...(performance ?? { status: null }),
      realised: realised.get(checkId) ?? null,
    })),
    ...(page.next ? { next: page.next } : {}),
  };
}

function realisedByCheck(report: PerformanceReport | null) {
  const realised = new Map<string, { labelled: number; accuracy?: number | null; mae?: number | null }>();
  if (report?.task === "classification") {
    for (const { checkId, labelled, accuracy } of report.windows)
      realised.set(checkId, { labelled, accuracy });
  } else if (report?.task === "regression") {
    for (const { checkId, labelled, mae } of report.windows) realised.set(checkId, { labelled, mae });
  }
  return realised;
}

/**
 * What `GET /v1/models/{id}/latency` answers: the newest check's `{p50, p95, p99, count, errorRate,
 * window}` (ms), the SLOs they were held to and the traffic's anomaly score, then the same per check.
 */
export async function latencyView(modelId: string, query: HistoryQuery) {
  const { newest, page } = await newestAndPage(modelId, query);
  return {
    ...(newest ? latencyOf(newest) : { count: 0, window: null }),
    history: page.checks.map(latencyOf),
    ...(page.next ? { next: page.next } : {}),
  };
}

function latencyOf({ checkId, window, latency, slo, traffic }: CheckResult) {
  return {
    checkId,
    window,
    p50: latency.p50,
    p95: latency.p95,
    p99: latency.p99,
    count: latency.records,
    errorRate: latency.errorRate,
    slo,
    volume: traffic,
  };
}

async function latestDrift({ checkId, window, checkedAt, drift }: CheckResult) {
  if (drift.status !== "ok" || !drift.reportKey) return { checkId, window, checkedAt, ...drift };
  const report = (await getJsonObject(drift.reportKey)) as Record<string, unknown>;
  return { status: "ok" as const, checkId, checkedAt, baselineVersion: drift.baselineVersion, ...report };
}

/**
 * The queried page of a model's checks and its newest check overall. A first page without an upper
 * bound starts with the newest check, so it takes one query; only a later page, a `to` bound or an
 * empty range needs a second.
 */
async function newestAndPage(modelId: string, query: HistoryQuery) {
  const page = await listChecks(modelId, query);
  const pageStartsAtNewest = !query.cursor && !query.to && page.checks.length > 0;
  const newest = pageStartsAtNewest ? page.checks[0] : (await listChecks(modelId, { limit: 1 })).checks[0];
  return { newest, page };
}
