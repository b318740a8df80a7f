import * as Plot from "@observablehq/plot";
import type { Api } from "./api.ts";
import type {
  CheckDistributions,
  DriftAnswer,
  DriftHistoryEntry,
  FeatureHistogram,
  LatestDrift,
} from "./api-types.ts";
import { chart, chartWidth, SAMPLE_COLOURS } from "./charts.ts";
import { h, replaceChildren } from "./dom.ts";
import { noChecks, noScores } from "./drift-panel.ts";
import { formatCount, formatNumber, formatPercent, formatTime, plural } from "./format.ts";
import { empty, failure, fill, loading, type Panel, panel } from "./panel.ts";

/** Bins beyond this many get their labels slanted, so they do not overlap. */
const UPRIGHT_LABELS = 8;

/**
 * The reference-vs-current histograms of one check (by default the newest that compared with a
 * baseline), a feature at a time, and in a second panel the prediction's histogram with the newest
 * check's prediction PSI. Choosing another check loads its histograms into both.
 */
export function distributionPanels(
  api: Api,
  modelId: string,
  drift: Promise<DriftAnswer>,
): { features: Panel; prediction: Panel } {
  const features = panel("distributions", "Reference and current distributions");
  const prediction = panel("prediction", "Prediction drift");
  const path = `/v1/models/${encodeURIComponent(modelId)}/distributions`;

  const checkSelect = h("select", { id: "distribution-check" });
  const featureSelect = h("select", { id: "distribution-feature" });
  const featureChart = h("div", { class: "chart-slot", "aria-live": "polite" });
  const predictionChart = h("div", { class: "chart-slot" });
  let shown: { check: DriftHistoryEntry; distributions: CheckDistributions } | undefined;

  const drawFeature = () => {
    if (!shown) return;
    const name = featureSelect.value;
    const histogram = shown.distributions.features[name];
    replaceChildren(
      featureChart,
      histogram ? histogramChart(name, histogram, shown.check, chartWidth(features.body)) : null,
    );
  };

  // The select stays enabled while a check loads (disabling it would drop a keyboard user's focus),
  // so answers may overtake each other: only the last check chosen is drawn.
  let chosen: DriftHistoryEntry | undefined;
  const loadCheck = async (check: DriftHistoryEntry) => {
    chosen = check;
    replaceChildren(featureChart, loading("the histograms"));
    replaceChildren(predictionChart, loading("the prediction histogram"));
    let distributions: CheckDistributions;
    try {
      distributions = await api.get<CheckDistributions>(
        `${path}?checkId=${encodeURIComponent(check.checkId)}`,
      );
    } catch (error) {
      if (chosen !== check) return;
      shown = undefined;
      replaceChildren(featureChart, failure("No histograms for this check", error));
      replaceChildren(predictionChart, failure("No prediction histogram for this check", error));
      return;
    }
    if (chosen !== check) return;
    shown = { check, distributions };
    const names = featureOrder(distributions, check);
    const keep = names.includes(featureSelect.value) ? featureSelect.value : names[0];
    replaceChildren(
      featureSelect,
      ...names.map((name) => h("option", { value: name, selected: name === keep }, name)),
    );
    if (names.length === 0) replaceChildren(featureChart, empty("This check compared no features."));
    else drawFeature();
    replaceChildren(
      predictionChart,
      distributions.prediction
        ? histogramChart("prediction", distributions.prediction, check, chartWidth(prediction.body))
        : empty("This check compared no predictions."),
    );
  };

  const compared = drift.then(({ history }) => history.filter((entry) => entry.status === "ok"));
  void fill(features, "the checks", async () => {
    const { history } = await drift;
    const checks = await compared;
    if (history.length === 0) return [noChecks(modelId)];
    if (checks.length === 0) return [noScores(modelId, history[0] as DriftHistoryEntry)];
    replaceChildren(
      checkSelect,
      ...checks.map((check, index) =>
        h(
          "option",
          { value: check.checkId, selected: index === 0 },
          `${formatTime(check.window.to)}: ${plural(check.driftedFeatures?.length ?? 0, "feature")} drifted`,
        ),
      ),
    );
    checkSelect.addEventListener("change", () => {
      const check = checks.find((entry) => entry.checkId === checkSelect.value);
      if (check) void loadCheck(check);
    });
    featureSelect.addEventListener("change", drawFeature);
    void loadCheck(checks[0] as DriftHistoryEntry);
    return [
      h(
        "div",
        { class: "toolbar" },
        h("label", { for: "distribution-check" }, "Check (window end)"),
        checkSelect,
        h("label", { for: "distribution-feature" }, "Feature"),
        featureSelect,
      ),
      featureChart,
    ];
  });
  void fill(prediction, "the prediction drift", async () => {
    const { latest, history } = await drift;
    if (history.length === 0) return [noChecks(modelId)];
    if ((await compared).length === 0) return [noScores(modelId, history[0] as DriftHistoryEntry)];
    return [h("p", { "data-metric": "prediction-psi" }, predictionPsiText(latest)), predictionChart];
  });
  return { features, prediction };
}

/** The newest check's prediction PSI, from its drift report. */
function predictionPsiText(latest: LatestDrift | null): string {
  if (latest?.status !== "ok") return "The newest check compared no predictions.";
  const psi = latest.prediction?.tests.psi;
  const value = psi && "value" in psi ? psi.value : undefined;
  const when = `at the newest check (window end ${formatTime(latest.window?.to ?? latest.checkedAt)})`;
  if (value === undefined) return `No prediction PSI ${when}.`;
  return `Prediction PSI ${when}: ${formatNumber(value)}${latest.prediction?.drifted ? ", drifted" : ", no drift"}.`;
}

/** Drifted features first (as the check ranked them), then the rest by name. */
function featureOrder(distributions: CheckDistributions, check: DriftHistoryEntry): string[] {
  const names = Object.keys(distributions.features);
  const drifted = (check.driftedFeatures ?? []).filter((name) => names.includes(name));
  return [...drifted, ...names.filter((name) => !drifted.includes(name)).sort((a, b) => a.localeCompare(b))];
}

/** Grouped bars: for each bin, the share of reference rows beside the share of current rows. */
function histogramChart(
  name: string,
  histogram: FeatureHistogram,
  check: DriftHistoryEntry,
  width: number,
): HTMLElement {
  const { bins, others } = histogram;
  if (bins.length === 0) return empty(`No values of ${name} to draw.`);
  const bars = bins.flatMap((bin) => [
    { bin: bin.label, sample: "reference", share: bin.reference },
    { bin: bin.label, sample: "current", share: bin.current },
  ]);
  const largest = bins.reduce((a, b) =>
    Math.abs(b.current - b.reference) > Math.abs(a.current - a.reference) ? b : a,
  );
  const slanted = bins.length > UPRIGHT_LABELS;
  const psi = check.featureScores?.[name];
  return chart({
    title: `${name}: reference (baseline) and current (window ending ${formatTime(check.window.to)}) distributions`,
    summary:
      `${histogram.kind === "numeric" ? "Numeric bins" : "Categories"}; the largest change is ${largest.label}: ` +
      `${formatPercent(largest.reference)} of reference rows, ${formatPercent(largest.current)} of current rows.` +
      (psi === undefined ? "" : ` PSI ${formatNumber(psi)}.`) +
      (others
        ? ` ${formatCount(others.categories)} other ${others.categories === 1 ? "category" : "categories"} not drawn: ${formatPercent(others.reference)} of reference rows, ${formatPercent(others.current)} of current rows.`
        : ""),
    width,
    plot: {
      marginBottom: slanted ? 90 : 36,
      fx: { domain: bins.map((bin) => bin.label), label: null, tickRotate: slanted ? -40 : 0, padding: 0.15 },
      x: { domain: ["reference", "current"], axis: null },
      y: { label: "Share of rows", tickFormat: "%", grid: true },
      color: {
        domain: ["reference", "current"],
        range: [SAMPLE_COLOURS.reference, SAMPLE_COLOURS.current],
        legend: true,
      },
      marks: [
        Plot.barY(bars, { fx: "bin", x: "sample", y: "share", fill: "sample", tip: true }),
        Plot.ruleY([0]),
      ],
    },
    data: {
      caption: `Share of rows in each ${histogram.kind === "numeric" ? "bin" : "category"} of ${name}`,
      columns: [histogram.kind === "numeric" ? "Bin" : "Category", "Reference", "Current"],
      rows: bins.map((bin) => [bin.label, formatPercent(bin.reference), formatPercent(bin.current)]),
    },
  });
}
