import type { CheckWindow } from "#shared/schemas/check-window";
import type { PerformanceConfig } from "#shared/schemas/model-config";
import { durationMs } from "../check-window.ts";

/** The two periods a performance check compares, by prediction receipt time. */
export interface PerformancePeriods {
  /** `currentPeriod` up to the end of the check's window. */
  current: CheckWindow;
  /** `referencePeriod` up to where the current period starts. */
  reference: CheckWindow;
}

/**
 * The current and reference periods of a check whose window ends at `windowEnd`.
 *
 * @example
 * performancePeriods("2026-12-31T00:00:00.000Z", { currentPeriod: "P7D", referencePeriod: "P30D" });
 * // { current: { from: "2026-12-24T00:00:00.000Z", to: "2026-12-31T00:00:00.000Z" },
 * //   reference: { from: "2026-11-24T00:00:00.000Z", to: "2026-12-24T00:00:00.000Z" } }
 */
export function performancePeriods(
  windowEnd: string,
  settings: Pick<PerformanceConfig, "currentPeriod" | "referencePeriod">,
): PerformancePeriods {
  const end = Date.parse(windowEnd);
  const boundary = end - durationMs(settings.currentPeriod);
  const start = boundary - durationMs(settings.referencePeriod);
  const iso = (time: number) => new Date(time).toISOString();
  return {
    current: { from: iso(boundary), to: iso(end) },
    reference: { from: iso(start), to: iso(boundary) },
  };
}
