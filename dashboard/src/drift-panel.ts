import * as Plot from "@observablehq/plot";
import type { DriftAnswer, DriftHistoryEntry } from "./api-types.ts";
import { chart, chartWidth, SERIES_COLOURS, windowEndAxis } from "./charts.ts";
import { h } from "./dom.ts";
import { formatNumber, formatPercent, formatTime, plural, sentence } from "./format.ts";
import { empty, fill, type Panel, panel } from "./panel.ts";
import { driftVerdict } from "./status-text.ts";

/** Features drawn at most: those with the highest PSI; the table lists the same ones. */
const MAX_FEATURES = SERIES_COLOURS.length;

/** Each feature's drift score (PSI) at every check of the history, the most shifted features first. */
export function driftPanel(drift: Promise<DriftAnswer>, modelId: string): Panel {
  const target = panel("drift", "Feature drift over time");
  void fill(target, "the drift history", async () => {
    const { history } = await drift;
    if (history.length === 0) return [noChecks(modelId)];
    const scored = history.filter(
      (entry) => entry.featureScores && Object.keys(entry.featureScores).length > 0,
    );
    if (scored.length === 0) return [noScores(modelId, history[0] as DriftHistoryEntry)];
    const features = mostShifted(scored);
    const points = scored.flatMap((entry) =>
      features.flatMap((feature) => {
        const psi = entry.featureScores?.[feature];
        return psi === undefined ? [] : [{ time: new Date(entry.window.to), feature, psi }];
      }),
    );
    const [newest] = history as [DriftHistoryEntry];
    const top = features[0] as string;
    const omitted = Object.keys(scored[0]?.featureScores ?? {}).length - features.length;
    return [
      h("p", {}, "Newest check: ", driftVerdict(newest)),
      chart({
        title: `PSI per feature over the last ${scored.length === 1 ? "scored check" : plural(scored.length, "scored check")}`,
        summary:
          `Highest PSI: ${top} (${formatNumber(Math.max(...points.filter((p) => p.feature === top).map((p) => p.psi)))}).` +
          (omitted > 0 ? ` ${omitted} features with lower scores are not drawn.` : ""),
        width: chartWidth(target.body),
        plot: {
          x: windowEndAxis(points.map((point) => point.time)),
          y: { label: "PSI", grid: true, zero: true },
          color: { domain: features, range: SERIES_COLOURS, legend: true },
          marks: [
            Plot.ruleY([0]),
            Plot.lineY(points, {
              x: "time",
              y: "psi",
              stroke: "feature",
              z: "feature",
              marker: "circle",
              tip: true,
            }),
          ],
        },
        data: {
          caption: "Drift of each check, newest first",
          columns: [
            "Window end",
            "Status",
            "Share drifted",
            "Drifted features",
            ...features.map((f) => `PSI ${f}`),
          ],
          rows: history.map((entry) => [
            formatTime(entry.window.to),
            entry.status,
            formatPercent(entry.share),
            (entry.driftedFeatures ?? []).join(", ") || "—",
            ...features.map((feature) => formatNumber(entry.featureScores?.[feature])),
          ]),
        },
      }),
    ];
  });
  return target;
}

/** The features with the highest PSI at any check, highest first. */
function mostShifted(entries: DriftHistoryEntry[]): string[] {
  const highest = new Map<string, number>();
  for (const entry of entries)
    for (const [feature, psi] of Object.entries(entry.featureScores ?? {}))
      highest.set(feature, Math.max(psi, highest.get(feature) ?? Number.NEGATIVE_INFINITY));
  return [...highest]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, MAX_FEATURES)
    .map(([feature]) => feature);
}

export function noChecks(modelId: string): HTMLParagraphElement {
  return empty(
    "No checks yet. The model's schedule runs them, or run one now: ",
    h("code", {}, `POST /v1/models/${modelId}/checks`),
    ".",
  );
}

/** Why no check has scores: no baseline to compare with, or too few rows. */
export function noScores(modelId: string, newest: DriftHistoryEntry): HTMLParagraphElement {
  return newest.status === "no-baseline"
    ? empty(
        "No drift scores yet: the model has no baseline to compare with. Set one with ",
        h("code", {}, `PUT /v1/models/${modelId}/baseline`),
        ".",
      )
    : empty(sentence(`No drift scores yet: ${newest.reason ?? "too few rows in the checked windows"}`));
}
