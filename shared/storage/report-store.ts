import { dataBucket } from "#shared/aws/resources";

/** `distributions` (an addition to the contract) holds the histograms the dashboard draws. */
export type ReportKind = "drift" | "performance" | "distributions";

/** `reports/model=<id>/<kind>/<ISO time>.json` (CONTRACT §3), named after the end of the window. */
export function reportKey(modelId: string, kind: ReportKind, windowEnd: string, suffix = ""): string {
  return `${dataBucket.reportsPrefix}model=${modelId}/${kind}/${windowEnd}${suffix}.json`;
}
