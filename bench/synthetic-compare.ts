/**
 * The engine at scale: 100,000 reference x 1,000,000 current rows x 20 numeric features (generated,
 * see support/synthetic-csv.ts), every statistic on. Two figures, two JSON lines:
 * - "cli": `node dist/cli.js compare` on the CSV files as a whole process (start-up, parsing, engine,
 *   JSON output), the honest user-facing figure; target <= 5 s.
 * - "engine": compareDatasets alone, in process, on the already-parsed columns, with the parse time
 *   beside it, to tell the two costs apart.
 */
import { compareDatasets } from "#shared/drift/compare-datasets";
import { readDataset } from "#shared/readers/read-dataset";
import { buildCli } from "../shared/cli/build.mjs";
import { SYNTHETIC_FEATURES, SYNTHETIC_ROWS, syntheticCsv } from "./support/synthetic-csv.ts";
import { repeatRun, timeNodeProcess } from "./support/time-process.ts";

const RUNS = 3;
const rows = { reference: SYNTHETIC_ROWS.reference, current: SYNTHETIC_ROWS.current };

const files = syntheticCsv();
const cli = await buildCli();
const args = [cli, "compare", "--reference", files.reference, "--current", files.current, "--format", "json"];
// One untimed run first, so every timed run finds the files in the page cache.
timeNodeProcess(args);
const run = repeatRun(RUNS, () => timeNodeProcess(args));
const report = JSON.parse(run.stdout) as { features: object };
print({
  bench: "synthetic-compare",
  mode: "cli",
  rows,
  features: Object.keys(report.features).length,
  seconds: round(run.seconds),
  peakRssMb: Number(run.peakRssMb.toFixed(1)),
});

const readStarted = performance.now();
const reference = await readDataset(files.reference);
const current = await readDataset(files.current);
const readSeconds = (performance.now() - readStarted) / 1000;
const engineStarted = performance.now();
compareDatasets(reference, current);
print({
  bench: "synthetic-compare",
  mode: "engine",
  rows,
  features: SYNTHETIC_FEATURES,
  seconds: round((performance.now() - engineStarted) / 1000),
  readSeconds: round(readSeconds),
});

function print(figures: object): void {
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function round(seconds: number): number {
  return Number(seconds.toFixed(3));
}
