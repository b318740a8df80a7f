/**
 * `driftwatch compare` on real data, as a user runs it: January vs June 2001 of the vega-datasets
 * flights (508,239 vs 502,222 rows) read from CSV, on hour, weekday, distance, delay, origin and
 * destination with every statistic, timed as a whole `node dist/cli.js` process (start-up, parsing,
 * engine, JSON output). Targets: <= 1.65 s and <= 512 MB peak RSS.
 */
import { buildCli } from "../shared/cli/build.mjs";
import { flightsCsv } from "./support/flights-csv.ts";
import { repeatRun, timeNodeProcess } from "./support/time-process.ts";

const RUNS = 5;

const files = await flightsCsv();
const cli = await buildCli();
const args = [cli, "compare", "--reference", files.january, "--current", files.june, "--format", "json"];
// One untimed run first, so every timed run finds the files in the page cache.
timeNodeProcess(args);
const run = repeatRun(RUNS, () => timeNodeProcess(args));
const report = JSON.parse(run.stdout) as {
  reference: { rows: number };
  current: { rows: number };
  features: object;
};
process.stdout.write(
  `${JSON.stringify({
    bench: "flights-compare",
    rows: { reference: report.reference.rows, current: report.current.rows },
    features: Object.keys(report.features).length,
    seconds: Number(run.seconds.toFixed(3)),
    peakRssMb: Number(run.peakRssMb.toFixed(1)),
  })}\n`,
);
