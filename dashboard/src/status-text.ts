import type { DriftHistoryEntry, PerformanceHistoryEntry } from "./api-types.ts";
import { badge, h } from "./dom.ts";
import { formatPercent, plural } from "./format.ts";

/** A check's drift verdict as a badge and the drifted features (or why there is no verdict). */
export function driftVerdict(entry: DriftHistoryEntry | undefined): HTMLElement {
  if (!entry) return h("span", { class: "muted" }, "No checks yet");
  if (entry.status === "no-baseline") return h("span", {}, badge("No baseline", "neutral"));
  if (entry.status === "insufficient-data")
    return h(
      "span",
      {},
      badge("Too few rows", "neutral"),
      " ",
      h("span", { class: "muted" }, entry.reason ?? ""),
    );
  const drifted = entry.driftedFeatures ?? [];
  if (drifted.length === 0) return h("span", {}, badge("No drift", "ok"));
  return h(
    "span",
    {},
    badge("Drift", "bad"),
    ` ${plural(drifted.length, "feature")} (${formatPercent(entry.share)}): `,
    h("span", { class: "features" }, drifted.join(", ")),
  );
}

/** The label coverage of a check's current period, or why there is none. */
export function coverageText(entry: PerformanceHistoryEntry | undefined): string {
  if (!entry || entry.status === null) return "—";
  if (entry.currentLabelled === 0) return "No labels yet";
  return formatPercent(entry.coverage);
}

/** A check's performance verdict in words. */
export function performanceVerdict(entry: PerformanceHistoryEntry | undefined): string {
  if (!entry || entry.status === null) return "No performance check yet";
  if (entry.status === "no-labels") return "No labels yet";
  if (entry.status === "insufficient-data") return `Too few labels${entry.reason ? `: ${entry.reason}` : ""}`;
  if (entry.dropped)
    return `Dropped ${formatPercent(entry.drop)} (${(entry.droppedMetrics ?? []).join(", ")})`;
  return "Steady";
}

/** Whether a check met its latency SLO, in a word; `null` when the check could not judge it. */
export function sloText(met: boolean | null): string {
  if (met === null) return "not judged";
  return met ? "met" : "missed";
}
