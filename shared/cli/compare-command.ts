import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { compareDatasets } from "#shared/drift/compare-datasets";
import { type FeatureHistogram, featureHistogram } from "#shared/drift/feature-histogram";
import type { DriftReport } from "#shared/schemas/drift-report";
import { modelIdSchema } from "#shared/schemas/model-id";
import { type DatasetPair, loadDatasetPair } from "./load-datasets.ts";
import { createProgress } from "./progress.ts";
import { renderHtml } from "./render-html.ts";
import { renderTable } from "./render-table.ts";
import { UsageError } from "./usage-error.ts";

export const EXIT_DRIFT = 1;

const FORMATS = ["json", "table", "html"] as const;

interface CompareOptions {
  reference: string;
  current: string;
  categorical: string[];
  format: (typeof FORMATS)[number];
  out?: string;
  failOnDrift: boolean;
  model: string;
}

/**
 * Adds `driftwatch compare`: the drift report between a reference and a current file (CSV, NDJSON or
 * Parquet), as the CONTRACT §4 JSON, a terminal table or a self-contained HTML page. Sets the exit code
 * to 1 when drift is found and `--fail-on-drift` is given, else leaves it at 0.
 */
export function addCompareCommand(program: Command): void {
  program
    .command("compare")
    .description("offline drift report between a reference and a current data file (CSV, NDJSON or Parquet)")
    .requiredOption("--reference <file>", "the reference data (training or baseline sample)")
    .requiredOption("--current <file>", "the data to check for drift")
    .option("--categorical <columns>", "comma-separated columns to treat as categorical", splitList, [])
    .addOption(new Option("--format <format>", "report format").choices(FORMATS).default("json"))
    .option("--out <file>", "write the report to this file instead of stdout")
    .option("--fail-on-drift", "exit with code 1 when drift is found (for CI pipelines)", false)
    .option("--model <id>", "model id recorded in the report", "adhoc")
    .addHelpText(
      "after",
      [
        "",
        "Files: .csv (header row), .ndjson/.jsonl (one flat object per line), .parquet; by extension.",
        "Exit codes: 0 report written (drift or not), 1 drift found with --fail-on-drift,",
        "2 bad input file or option (one line on stderr), 3 internal error.",
      ].join("\n"),
    )
    .action(async (options: CompareOptions) => {
      process.exitCode = await runCompare(options);
    });
}

/** Runs one comparison and returns the exit code (errors are thrown, for the caller to report). */
async function runCompare(options: CompareOptions): Promise<number> {
  const modelId = modelIdSchema.safeParse(options.model);
  if (!modelId.success)
    throw new UsageError(`--model: ${modelId.error.issues[0]?.message ?? "invalid model id"}`);
  const progress = createProgress();
  const pair = await loadDatasetPair(options, options.categorical, progress);
  noteUnmatched(pair, options);
  progress.step("comparing");
  const report = compareDatasets(pair.reference, pair.current, { modelId: modelId.data });
  progress.step("writing the report");
  const text = render(report, pair, options);
  progress.done();
  if (options.out) await writeReport(options.out, text);
  else process.stdout.write(text);
  return report.drifted && options.failOnDrift ? EXIT_DRIFT : 0;
}

function render(report: DriftReport, pair: DatasetPair, options: CompareOptions): string {
  switch (options.format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "table":
      return renderTable(report, {
        color: !options.out && process.stdout.isTTY === true && process.env.NO_COLOR === undefined,
      });
    case "html":
      return renderHtml(report, histograms(report, pair), options);
  }
}

function histograms(report: DriftReport, pair: DatasetPair): Map<string, FeatureHistogram> {
  const result = new Map<string, FeatureHistogram>();
  for (const name of Object.keys(report.features)) {
    const reference = pair.reference.columns.get(name);
    const current = pair.current.columns.get(name);
    if (reference && current) result.set(name, featureHistogram(reference, current));
  }
  return result;
}

/** Columns only one file has are skipped; say so, since a typo in a column name would hide a feature. */
function noteUnmatched(pair: DatasetPair, files: { reference: string; current: string }): void {
  for (const side of ["reference", "current"] as const) {
    const names = pair.unmatched[side];
    if (names.length > 0) {
      process.stderr.write(
        `driftwatch: note: ${files[side]}: not in the other file, not compared: ${names.join(", ")}\n`,
      );
    }
  }
}

async function writeReport(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new UsageError(
      `${file}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

function splitList(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((name) => name.trim())
      .filter(Boolean),
  ];
}
