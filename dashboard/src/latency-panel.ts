import * as Plot from "@observablehq/plot";
import type { LatencyAnswer, LatencyEntry } from "./api-types.ts";
import { chart, chartWidth, SERIES_COLOURS, windowEndAxis } from "./charts.ts";
import { h } from "./dom.ts";
import { noChecks } from "./drift-panel.ts";
import { formatCount, formatMilliseconds, formatPercent, formatTime, numberOf, plural } from "./format.ts";
import { empty, fill, type Panel, panel } from "./panel.ts";
import { sloText } from "./status-text.ts";

const PERCENTILES = ["p50", "p95", "p99"] as const;
/** An SLO line is drawn only when it lies this close to the data; further up it would flatten the lines. */
const SLO_IN_VIEW = 2;

/** p50, p95 and p99 of `latencyMs` per check, against the model's SLOs, with the error rate in the table. */
export function latencyPanel(latency: Promise<LatencyAnswer>, modelId: string): Panel {
  const target = panel("latency", "Latency over time");
  void fill(target, "the latency history", async () => {
    const { history } = await latency;
    if (history.length === 0) return [noChecks(modelId)];
    const points = history.flatMap((entry) =>
      PERCENTILES.flatMap((percentile) => {
        const value = numberOf(entry[percentile]);
        return value === undefined ? [] : [{ time: new Date(entry.window.to), percentile, value }];
      }),
    );
    const [newest] = history as [LatencyEntry];
    const slo = `SLO p95 ≤ ${formatMilliseconds(newest.slo.p95Ms)}, p99 ≤ ${formatMilliseconds(newest.slo.p99Ms)}`;
    const summary = h(
      "p",
      {},
      "Newest check: p50 ",
      h("span", { "data-metric": "p50" }, formatMilliseconds(newest.p50)),
      ", p95 ",
      h("span", { "data-metric": "p95" }, formatMilliseconds(newest.p95)),
      ", p99 ",
      h("span", { "data-metric": "p99" }, formatMilliseconds(newest.p99)),
      `; ${slo}: ${sloText(newest.slo.met)}; error rate `,
      h("span", { "data-metric": "error-rate" }, formatPercent(newest.errorRate)),
      ".",
    );
    if (points.length === 0)
      return [summary, empty("No latencies to draw: the checked records logged no latencyMs.")];
    const highest = Math.max(...points.map((point) => point.value));
    const rules = [
      { name: "p95 SLO", value: newest.slo.p95Ms },
      { name: "p99 SLO", value: newest.slo.p99Ms },
    ].filter((rule) => rule.value <= highest * SLO_IN_VIEW);
    return [
      summary,
      chart({
        title: `Latency percentiles over the last ${history.length === 1 ? "check" : plural(history.length, "check")}`,
        summary: `Highest: ${formatMilliseconds(highest)}. ${slo}${rules.length < 2 ? " (an SLO far above the data is not drawn)" : ""}.`,
        width: chartWidth(target.body),
        plot: {
          x: windowEndAxis(points.map((point) => point.time)),
          y: { label: "Latency (ms)", zero: true, grid: true },
          color: { domain: [...PERCENTILES], range: SERIES_COLOURS, legend: true },
          marks: [
            Plot.ruleY(rules, { y: "value", stroke: "#b42318", strokeDasharray: "5 4" }),
            Plot.text(rules, { y: "value", text: "name", frameAnchor: "right", dy: -7, fill: "#b42318" }),
            Plot.lineY(points, {
              x: "time",
              y: "value",
              stroke: "percentile",
              z: "percentile",
              marker: "circle",
              tip: true,
            }),
          ],
        },
        data: {
          caption: "Latency of each check, newest first",
          columns: ["Window end", "Rows", "p50", "p95", "p99", "Error rate", "SLO"],
          rows: history.map((entry) => [
            formatTime(entry.window.to),
            formatCount(entry.count),
            formatMilliseconds(entry.p50),
            formatMilliseconds(entry.p95),
            formatMilliseconds(entry.p99),
            formatPercent(entry.errorRate),
            sloText(entry.slo.met),
          ]),
        },
      }),
    ];
  });
  return target;
}
