import { alertsPanel } from "./alerts-panel.ts";
import type { Api } from "./api.ts";
import type {
  AlertListAnswer,
  DriftAnswer,
  LatencyAnswer,
  ModelConfig,
  PerformanceAnswer,
} from "./api-types.ts";
import { distributionPanels } from "./distributions-panel.ts";
import { badge, type Child, h, time } from "./dom.ts";
import { driftPanel } from "./drift-panel.ts";
import {
  formatCount,
  formatMilliseconds,
  formatNumber,
  formatPercent,
  formatTime,
  formatWindow,
} from "./format.ts";
import { latencyPanel } from "./latency-panel.ts";
import { failure, fill, type Panel, panel } from "./panel.ts";
import { performancePanel } from "./performance-panel.ts";
import { driftVerdict, performanceVerdict } from "./status-text.ts";

/** Checks each chart covers, newest first (the history routes' own page limit is 500). */
const HISTORY = 100;

/** The sections of the model page, in order; each is also a route (`#/models/{id}/{section}`). */
export const MODEL_SECTIONS = [
  ["summary", "Newest check"],
  ["drift", "Feature drift"],
  ["distributions", "Distributions"],
  ["prediction", "Prediction drift"],
  ["performance", "Performance"],
  ["latency", "Latency"],
  ["alerts", "Alerts"],
  ["configuration", "Configuration"],
] as const;

/**
 * One model: the newest check at a glance, then drift, distributions, prediction drift, performance
 * and latency over time, its alerts (to acknowledge) and its configuration. The configuration is read
 * first, so an unknown model is one error rather than one per panel.
 */
export function modelView(api: Api, modelId: string): HTMLElement {
  const id = encodeURIComponent(modelId);
  const body = h("div", {}, h("p", { class: "loading" }, "Loading the model…"));
  const subtitle = h("p", { class: "muted" });
  api.get<ModelConfig>(`/v1/models/${id}`).then(
    (model) => {
      subtitle.textContent = `${model.task} model, checked on ${model.schedule} over ${model.window} windows, with at least ${formatCount(model.minSamples)} rows each side.`;
      const drift = api.get<DriftAnswer>(`/v1/models/${id}/drift?limit=${HISTORY}`);
      const performance = api.get<PerformanceAnswer>(`/v1/models/${id}/performance?limit=${HISTORY}`);
      const latency = api.get<LatencyAnswer>(`/v1/models/${id}/latency?limit=${HISTORY}`);
      const firing = api.get<AlertListAnswer>(`/v1/alerts?model=${id}&state=firing&limit=500`);
      const distributions = distributionPanels(api, modelId, drift);
      const panels: Panel[] = [
        summaryPanel(drift, performance, latency, firing),
        driftPanel(drift, modelId),
        distributions.features,
        distributions.prediction,
        performancePanel(performance, model.task, modelId),
        latencyPanel(latency, modelId),
        alertsPanel(api, modelId),
        configPanel(model),
      ];
      body.replaceChildren(...panels.map((each) => each.section));
    },
    (error) => body.replaceChildren(failure(`Could not load model ${modelId}`, error)),
  );
  return h(
    "div",
    { class: "view" },
    h("p", { class: "breadcrumb" }, h("a", { href: "#/models" }, "All models")),
    h("h1", { tabindex: "-1" }, modelId),
    subtitle,
    h(
      "nav",
      { class: "sections", "aria-label": "Sections of this model" },
      h(
        "ul",
        {},
        ...MODEL_SECTIONS.map(([section, title]) =>
          h("li", {}, h("a", { href: `#/models/${id}/${section}` }, title)),
        ),
      ),
    ),
    body,
  );
}

/** The newest check in numbers: when, how many rows, drift, prediction PSI, latency, performance and firing alerts. */
function summaryPanel(
  drift: Promise<DriftAnswer>,
  performance: Promise<PerformanceAnswer>,
  latency: Promise<LatencyAnswer>,
  firing: Promise<AlertListAnswer>,
): Panel {
  const target = panel("summary", "Newest check");
  void fill(target, "the newest check", async () => {
    const [driftView, performanceView, latencyView, alerts] = await Promise.all([
      drift,
      performance,
      latency,
      firing,
    ]);
    const [newest] = driftView.history;
    if (!newest) return [h("p", { class: "empty" }, "No checks yet.")];
    const latest = driftView.latest;
    const psi = latest?.status === "ok" ? latest.prediction?.tests.psi : undefined;
    const items: [string, string, Child][] = [
      ["checked", "Checked", time(newest.checkedAt, formatTime(newest.checkedAt))],
      ["window", "Window", formatWindow(newest.window)],
      ["rows", "Rows", formatCount(newest.rows)],
      ["drift", "Drift", driftVerdict(newest)],
      ["share", "Share of features drifted", formatPercent(newest.share)],
      ["prediction-psi", "Prediction PSI", psi && "value" in psi ? formatNumber(psi.value) : "—"],
      ["p95", "p95 latency", "p95" in latencyView ? formatMilliseconds(latencyView.p95) : "—"],
      ["performance", "Performance", performanceVerdict(performanceView.history[0])],
      [
        "firing",
        "Firing alerts",
        alerts.alerts.length > 0 ? badge(`${alerts.alerts.length}${alerts.next ? "+" : ""}`, "bad") : "0",
      ],
    ];
    return [
      h(
        "dl",
        { class: "summary" },
        ...items.map(([metric, term, value]) =>
          h("div", {}, h("dt", {}, term), h("dd", { "data-metric": metric }, value)),
        ),
      ),
    ];
  });
  return target;
}

function configPanel(config: ModelConfig): Panel {
  const target = panel("configuration", "Configuration");
  target.body.append(
    h(
      "p",
      { class: "muted" },
      "As stored, with every default filled in (read-only here; PUT /v1/models/{id} replaces it).",
    ),
    h(
      "pre",
      { class: "config", tabindex: "0", "aria-label": "Model configuration (JSON)" },
      JSON.stringify(config, null, 2),
    ),
  );
  return target;
}
