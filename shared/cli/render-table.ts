import type { DriftReport, FeatureReport } from "#shared/schemas/drift-report";
import { formatPValue, formatShare, formatStatistic } from "./format-number.ts";

const HEADINGS = ["feature", "type", "method", "statistic", "p-value", "threshold", "drifted", "severity"];
/** Right-aligned columns (the numbers). */
const NUMERIC_COLUMNS = new Set([3, 4, 5]);
const RED = "\u001b[31m";
const RESET = "\u001b[0m";

export interface TableOptions {
  /** Colour drifted rows red (only for a terminal that has not asked for NO_COLOR). */
  color?: boolean;
}

/**
 * The drift report as a terminal table: one row per feature (and one for the predictions, if
 * compared), then the verdict (how many features drifted) and how it was reached.
 *
 * @example
 * process.stdout.write(renderTable(report, { color: process.stdout.isTTY }));
 */
export function renderTable(report: DriftReport, options: TableOptions = {}): string {
  const features: [string, FeatureReport][] = Object.entries(report.features);
  if (report.prediction) features.push(["(prediction)", report.prediction]);
  const rows = features.map(([name, feature]) => [
    name,
    feature.type,
    feature.method,
    formatStatistic(feature.statistic),
    formatPValue(feature.pValue),
    formatStatistic(feature.threshold),
    feature.drifted ? "yes" : "no",
    feature.severity,
  ]);
  const widths = HEADINGS.map((heading, col) =>
    Math.max(heading.length, ...rows.map((row) => (row[col] as string).length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, col) =>
        NUMERIC_COLUMNS.has(col) ? cell.padStart(widths[col] as number) : cell.padEnd(widths[col] as number),
      )
      .join("  ")
      .trimEnd();
  const body = rows.map((row, index) => {
    const text = line(row);
    return options.color && features[index]?.[1].drifted ? `${RED}${text}${RESET}` : text;
  });
  return [
    `reference: ${report.reference.rows.toLocaleString("en-US")} rows, current: ${report.current.rows.toLocaleString("en-US")} rows`,
    "",
    line(HEADINGS),
    line(widths.map((width) => "-".repeat(width))),
    ...body,
    "",
    verdictLine(report),
    report.decision.description,
    "",
  ].join("\n");
}

/** The verdict in one line: drift or not, and which features drifted. */
export function verdictLine(report: DriftReport): string {
  const total = Object.keys(report.features).length;
  const drifted = report.driftedFeatures;
  const which = drifted.length > 0 ? ` (${drifted.join(", ")})` : "";
  return `${report.drifted ? "DRIFT" : "no drift"}: ${drifted.length} of ${total} features drifted${which}, ${formatShare(report.share)} of features.`;
}
