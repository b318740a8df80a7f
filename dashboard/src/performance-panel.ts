import * as Plot from "@observablehq/plot";
import type { ModelConfig, PerformanceAnswer, PerformanceHistoryEntry } from "./api-types.ts";
import { chart, chartWidth, SERIES_COLOURS, windowEndAxis } from "./charts.ts";
import { h } from "./dom.ts";
import { noChecks } from "./drift-panel.ts";
import { formatCount, formatNumber, formatPercent, formatTime } from "./format.ts";
import { empty, fill, type Panel, panel } from "./panel.ts";
import { coverageText, performanceVerdict } from "./status-text.ts";

const ESTIMATED = "Estimated accuracy";
const REALISED_ACCURACY = "Realised accuracy";
const REALISED_MAE = "Realised MAE";

/**
 * Performance per check window: for classification the accuracy confidence-based estimation gave
 * before labels, beside the realised accuracy once ground truth arrived; for regression the realised
 * MAE. The newest check's verdict (steady, dropped, no labels) and label coverage come first.
 */
export function performancePanel(
  performance: Promise<PerformanceAnswer>,
  task: ModelConfig["task"],
  modelId: string,
): Panel {
  const target = panel("performance", "Performance over time");
  void fill(target, "the performance history", async () => {
    const { history } = await performance;
    if (history.length === 0) return [noChecks(modelId)];
    const [newest] = history as [PerformanceHistoryEntry];
    const verdict = h(
      "p",
      {},
      `Newest check: ${performanceVerdict(newest)}.`,
      newest.status !== null && newest.currentLabelled > 0
        ? h(
            "span",
            {},
            " Label coverage: ",
            h("span", { "data-metric": "coverage" }, coverageText(newest)),
            ".",
          )
        : null,
    );
    const points = history.flatMap((entry) => {
      const time = new Date(entry.window.to);
      const realised = entry.realised && entry.realised.labelled > 0 ? entry.realised : undefined;
      const estimated = summaryOf(entry)?.estimatedAccuracy;
      return task === "classification"
        ? [
            ...(estimated === undefined ? [] : [{ time, series: ESTIMATED, value: estimated }]),
            ...(typeof realised?.accuracy === "number"
              ? [{ time, series: REALISED_ACCURACY, value: realised.accuracy }]
              : []),
          ]
        : typeof realised?.mae === "number"
          ? [{ time, series: REALISED_MAE, value: realised.mae }]
          : [];
    });
    if (points.length === 0)
      return [
        verdict,
        empty(
          "No labels yet, so nothing to draw: realised ",
          task === "classification" ? "accuracy" : "error",
          " appears once ground truth arrives (",
          h("code", {}, `POST /v1/models/${modelId}/ground-truth`),
          ")",
          task === "classification"
            ? ", and estimated accuracy once the reference period has labelled predictions that logged probabilities."
            : ".",
        ),
      ];
    const series = task === "classification" ? [ESTIMATED, REALISED_ACCURACY] : [REALISED_MAE];
    const realisedCount = points.filter((point) => point.series !== ESTIMATED).length;
    return [
      verdict,
      chart({
        title:
          task === "classification"
            ? "Estimated and realised accuracy per check window"
            : "Realised mean absolute error per check window",
        summary: `${formatCount(realisedCount)} of ${formatCount(history.length)} windows have labels so far.`,
        width: chartWidth(target.body),
        plot: {
          x: windowEndAxis(points.map((point) => point.time)),
          y:
            task === "classification"
              ? { label: "Accuracy", domain: [0, 1], tickFormat: "%", grid: true }
              : { label: "MAE", zero: true, grid: true },
          color: { domain: series, range: SERIES_COLOURS, legend: true },
          marks: [
            Plot.lineY(points, {
              x: "time",
              y: "value",
              stroke: "series",
              z: "series",
              marker: "circle",
              tip: true,
            }),
          ],
        },
        data: {
          caption: "Performance of each check, newest first",
          columns: [
            "Window end",
            "Status",
            "Labelled",
            ...(task === "classification" ? [ESTIMATED, REALISED_ACCURACY] : [REALISED_MAE]),
            "Largest drop",
            "Label coverage",
          ],
          rows: history.map((entry) => [
            formatTime(entry.window.to),
            entry.status ?? "—",
            entry.realised ? formatCount(entry.realised.labelled) : "—",
            ...(task === "classification"
              ? [formatPercent(summaryOf(entry)?.estimatedAccuracy), formatPercent(entry.realised?.accuracy)]
              : [formatNumber(entry.realised?.mae)]),
            formatPercent(summaryOf(entry)?.drop),
            coverageText(entry),
          ]),
        },
      }),
    ];
  });
  return target;
}

/** The check's performance summary, when it had a performance check. */
function summaryOf(entry: PerformanceHistoryEntry) {
  return entry.status === null ? undefined : entry;
}
