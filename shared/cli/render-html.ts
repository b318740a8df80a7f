import type { FeatureHistogram } from "#shared/drift/feature-histogram";
import type { DriftReport, FeatureReport, TestResult } from "#shared/schemas/drift-report";
import { formatPValue, formatShare, formatStatistic } from "./format-number.ts";
import { verdictLine } from "./render-table.ts";
import { escapeXml, svgHistogram } from "./svg-histogram.ts";

export interface HtmlSources {
  reference: string;
  current: string;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 1000px; padding: 0 1rem; color: #1d2330; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; } h2 { font-size: 1.15rem; margin: 0; }
.meta { color: #5b6475; margin: 0 0 1rem; }
.verdict { padding: 0.75rem 1rem; border-radius: 6px; margin: 1rem 0; background: #e8f5ec; border-left: 5px solid #2f9e55; }
.verdict.drift { background: #fdecea; border-left-color: #d93025; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; } th, td { padding: 0.25rem 0.7rem; text-align: left; border-bottom: 1px solid #e3e6ec; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: 0 0.5rem; border-radius: 10px; font-size: 0.8rem; background: #e3e6ec; }
.badge.drift { background: #d93025; color: #fff; } .badge.ok { background: #2f9e55; color: #fff; }
section.feature { border: 1px solid #e3e6ec; border-radius: 8px; padding: 1rem; margin: 1rem 0; }
section.feature header { display: flex; gap: 0.75rem; align-items: baseline; flex-wrap: wrap; }
.legend span { display: inline-block; width: 0.8rem; height: 0.8rem; margin: 0 0.3rem 0 0.8rem; vertical-align: middle; }
svg { width: 100%; max-width: 640px; height: auto; display: block; }
svg .reference, .legend .reference { fill: #8a9ab5; background: #8a9ab5; } svg .current, .legend .current { fill: #e8833a; background: #e8833a; }
svg .grid { stroke: #e3e6ec; } svg text { font-size: 10px; fill: #5b6475; }
details { margin-top: 0.5rem; } .empty, .reason { color: #5b6475; }
`;

/**
 * The drift report as one self-contained HTML page (inline CSS and SVG, no script, no external
 * asset): the verdict, a summary table, and per feature its reference-vs-current histogram, the
 * decision and every test computed.
 *
 * @param histograms feature name -> histogram (see `featureHistogram`); a feature without one shows none
 * @example
 * writeFileSync("report.html", renderHtml(report, histograms, { reference: "jan.csv", current: "jun.csv" }));
 */
export function renderHtml(
  report: DriftReport,
  histograms: ReadonlyMap<string, FeatureHistogram>,
  sources: HtmlSources,
): string {
  const features = Object.entries(report.features);
  const sections = features.map(([name, feature], index) =>
    featureSection(name, feature, histograms.get(name), `feature-${index}`),
  );
  if (report.prediction)
    sections.push(featureSection("(prediction)", report.prediction, undefined, "prediction"));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>DriftWatch: ${escapeXml(sources.current)} vs ${escapeXml(sources.reference)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>DriftWatch drift report</h1>
<p class="meta">Model <b>${escapeXml(report.modelId)}</b> · reference <b>${escapeXml(sources.reference)}</b> (${report.reference.rows.toLocaleString("en-US")} rows) · current <b>${escapeXml(sources.current)}</b> (${report.current.rows.toLocaleString("en-US")} rows)</p>
<div class="verdict${report.drifted ? " drift" : ""}"><b>${escapeXml(verdictLine(report))}</b><br>${escapeXml(report.decision.description)}</div>
${summaryTable(features)}
<p class="legend">Histograms:<span class="reference"></span>reference<span class="current"></span>current (share of each sample's non-missing values)</p>
${sections.join("\n")}
</body>
</html>
`;
}

function summaryTable(features: [string, FeatureReport][]): string {
  const rows = features.map(
    ([name, feature], index) =>
      `<tr><td><a href="#feature-${index}">${escapeXml(name)}</a></td><td>${feature.type}</td><td>${escapeXml(feature.method)}</td><td class="num">${formatStatistic(feature.statistic)}</td><td class="num">${formatPValue(feature.pValue)}</td><td class="num">${formatStatistic(feature.threshold)}</td><td>${badge(feature.drifted)}</td><td>${feature.severity}</td></tr>`,
  );
  return `<table>
<thead><tr><th>feature</th><th>type</th><th>method</th><th class="num">statistic</th><th class="num">p-value</th><th class="num">threshold</th><th>drifted</th><th>severity</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody>
</table>`;
}

function featureSection(
  name: string,
  feature: FeatureReport,
  histogram: FeatureHistogram | undefined,
  id: string,
) {
  const newCategories = feature.newCategories?.values.length
    ? `<p>New categories (${formatShare(feature.newCategories.share)} of current rows): ${escapeXml(feature.newCategories.values.join(", "))}</p>`
    : "";
  return `<section class="feature" id="${id}">
<header><h2>${escapeXml(name)}</h2>${badge(feature.drifted)}<span>${feature.type} · ${escapeXml(feature.method)} = ${formatStatistic(feature.statistic)}${feature.pValue === undefined ? "" : `, p = ${formatPValue(feature.pValue)}`} · threshold ${formatStatistic(feature.threshold)} · severity ${feature.severity}</span></header>
${feature.reason ? `<p class="reason">${escapeXml(feature.reason)}</p>` : ""}
<p>Missing: reference ${formatShare(feature.missing.reference)}, current ${formatShare(feature.missing.current)}</p>
${newCategories}
${histogram ? svgHistogram(histogram, `${name}: reference vs current`) : ""}
${histogram?.others ? `<p class="reason">Not shown: ${histogram.others.categories} other categories (reference ${formatShare(histogram.others.reference)}, current ${formatShare(histogram.others.current)}).</p>` : ""}
<details><summary>Every test</summary>${testsTable(feature.tests)}</details>
</section>`;
}

function testsTable(tests: Record<string, TestResult>): string {
  const rows = Object.entries(tests).map(([test, result]) => {
    if ("notApplicable" in result) {
      return `<tr><td>${escapeXml(test)}</td><td colspan="3" class="reason">not applicable: ${escapeXml(result.notApplicable)}</td></tr>`;
    }
    const value = result.statistic ?? result.value;
    const extra = result.normed === undefined ? "" : `normed ${formatStatistic(result.normed)}`;
    return `<tr><td>${escapeXml(test)}</td><td class="num">${formatStatistic(value)}</td><td class="num">${formatPValue(result.pValue)}</td><td>${extra}${result.dof === undefined ? "" : `dof ${result.dof}`}</td></tr>`;
  });
  return `<table><thead><tr><th>test</th><th class="num">statistic</th><th class="num">p-value</th><th></th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function badge(drifted: boolean): string {
  return drifted ? `<span class="badge drift">drifted</span>` : `<span class="badge ok">no drift</span>`;
}
