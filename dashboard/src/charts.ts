import * as Plot from "@observablehq/plot";
import { type Child, h, table } from "./dom.ts";

/**
 * Colours for lines and bars, all at least 3:1 against the white page (WCAG 1.4.11), unlike the
 * yellows of the default schemes.
 */
export const SERIES_COLOURS = [
  "#1a4fb3",
  "#c2410c",
  "#1e7a43",
  "#8e3fb0",
  "#b42318",
  "#00768a",
  "#7a5200",
  "#4a5366",
  "#a3306e",
  "#2f6b2f",
];

/** The reference sample is muted, the current one stands out, as in the HTML drift report. */
export const SAMPLE_COLOURS = { reference: "#5f6f8c", current: "#c2410c" };

export interface ChartOptions {
  /** What the chart shows, as its caption and its accessible name. */
  title: string;
  /** The finding in a sentence: the caption's second line and the chart's accessible description. */
  summary: string;
  plot: Plot.PlotOptions;
  /** The same data as a table, for screen readers and for reading exact values. */
  data: { caption: string; columns: string[]; rows: Child[][] };
  /** The width to draw at first; the chart is drawn again whenever its figure's width changes. */
  width: number;
}

/**
 * A chart as a figure: a caption saying what it shows and what stands out, the SVG (an image named
 * by the title and described by the summary), and a table of its data to fold out. Plot draws at a
 * fixed width, so a chart whose figure grows or shrinks (a resized window, a rotated tablet) is drawn
 * anew at the width it now has.
 */
export function chart({ title, summary, plot, data, width }: ChartOptions): HTMLElement {
  const draw = (at: number) => drawPlot(title, summary, { width: at, ...plot });
  let drawnWidth = width;
  let drawn = draw(width);
  const figure = h(
    "figure",
    { class: "chart" },
    h("figcaption", {}, h("span", { class: "chart-title" }, title), h("span", { class: "muted" }, summary)),
    drawn,
    h(
      "details",
      {},
      h("summary", {}, "Show the data as a table"),
      h("div", { class: "table-scroll" }, table(data.caption, data.columns, data.rows)),
    ),
  );
  const resized = new ResizeObserver(() => {
    // A view replaced since: this chart is gone for good.
    if (!figure.isConnected) {
      resized.disconnect();
      return;
    }
    const fits = chartWidth(figure);
    if (fits === drawnWidth) return;
    const redrawn = draw(fits);
    drawn.replaceWith(redrawn);
    drawn = redrawn;
    drawnWidth = fits;
  });
  resized.observe(figure);
  return figure;
}

function drawPlot(title: string, summary: string, plot: Plot.PlotOptions): SVGSVGElement | HTMLElement {
  const drawn = Plot.plot({
    height: 260,
    marginLeft: 56,
    style: { fontSize: "12px", background: "transparent" },
    ariaLabel: title,
    ariaDescription: summary,
    ...plot,
  });
  // With a legend, Plot wraps the chart in a figure of its own: the legend's swatches, then the chart.
  const svg = drawn instanceof SVGSVGElement ? drawn : drawn.querySelector(":scope > svg[aria-label]");
  svg?.setAttribute("role", "img");
  return drawn;
}

/** The width a chart may take in `container`, for a laptop screen down to a narrow window. */
export function chartWidth(container: Element): number {
  return Math.max(320, Math.min(1100, Math.floor(container.clientWidth) || 640));
}

/** Around a lone check, the time axis spans this much either side, so its one tick reads as a time. */
const LONE_POINT_SPAN_MS = 30 * 60 * 1000;

/** The x scale of a chart over check windows (by their end), in UTC like every time on the page. */
export function windowEndAxis(times: Date[]): Plot.ScaleOptions {
  const instants = times.map((time) => time.getTime());
  const first = Math.min(...instants);
  const last = Math.max(...instants);
  return {
    type: "utc",
    label: "Window end (UTC)",
    ...(first === last
      ? { domain: [new Date(first - LONE_POINT_SPAN_MS), new Date(last + LONE_POINT_SPAN_MS)] }
      : {}),
  };
}
