import type { FeatureHistogram } from "#shared/drift/feature-histogram";
import { formatShare } from "./format-number.ts";

const WIDTH = 640;
const HEIGHT = 230;
const MARGIN = { top: 12, right: 10, bottom: 70, left: 46 };
const MAX_LABELS = 14;
const MAX_LABEL_LENGTH = 16;

/** Escapes text for HTML and SVG content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An inline SVG bar chart of one feature's histogram: for each bin a reference bar and a current bar
 * side by side, heights in share of the sample; hovering a bar shows its exact shares (an SVG
 * `<title>`, so no script is needed).
 */
export function svgHistogram(histogram: FeatureHistogram, title: string): string {
  const { bins } = histogram;
  if (bins.length === 0) return `<p class="empty">No values to plot.</p>`;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = Math.max(...bins.map((bin) => Math.max(bin.reference, bin.current))) || 1;
  const y = (share: number) => MARGIN.top + plotHeight * (1 - share / top);
  const slot = plotWidth / bins.length;
  const barWidth = Math.max(1, slot * 0.38);
  const labelEvery = Math.ceil(bins.length / MAX_LABELS);
  const parts: string[] = [];
  for (const tick of [0, top / 2, top]) {
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}"/>`,
      `<text class="tick" x="${MARGIN.left - 4}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end">${formatShare(tick)}</text>`,
    );
  }
  bins.forEach((bin, k) => {
    const x = MARGIN.left + k * slot + slot * 0.1;
    const tooltip = escapeXml(
      `${bin.label}: reference ${formatShare(bin.reference)}, current ${formatShare(bin.current)}`,
    );
    for (const [series, share, offset] of [
      ["reference", bin.reference, 0],
      ["current", bin.current, barWidth],
    ] as const) {
      const barTop = y(share);
      parts.push(
        `<rect class="${series}" x="${(x + offset).toFixed(1)}" y="${barTop.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(MARGIN.top + plotHeight - barTop).toFixed(1)}"><title>${tooltip}</title></rect>`,
      );
    }
    if (k % labelEvery === 0) {
      const label =
        bin.label.length > MAX_LABEL_LENGTH ? `${bin.label.slice(0, MAX_LABEL_LENGTH - 1)}…` : bin.label;
      const labelX = (x + barWidth).toFixed(1);
      const labelY = HEIGHT - MARGIN.bottom + 12;
      parts.push(
        `<text class="label" x="${labelX}" y="${labelY}" text-anchor="end" transform="rotate(-40 ${labelX} ${labelY})">${escapeXml(label)}</text>`,
      );
    }
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(title)}">`,
    ...parts,
    "</svg>",
  ].join("\n");
}
