/**
 * How long a check takes to load a 1,000,000-row, 20-feature baseline from S3 (the emulator, no
 * proxy in between): the summary's numbers in parallel 8 MB ranges, one typed-array view per column.
 */
import { performance } from "node:perf_hooks";
import { startLocalAws } from "#shared/local/local-aws";
import { latestBaseline, loadBaseline, saveBaseline } from "#shared/storage/baseline-store";
import { Random } from "../test/support/random.ts";
import { baselineSummary } from "./support/check-records.ts";

const ROWS = 1_000_000;
const RUNS = 5;

const localAws = await startLocalAws();
try {
  Object.assign(process.env, localAws.environment, { POWERTOOLS_LOG_LEVEL: "ERROR" });
  process.stderr.write(`baseline-load: building and storing a ${ROWS}-row baseline...\n`);
  await saveBaseline(
    "bench-baseline",
    baselineSummary(new Random(7), ROWS),
    { type: "records" },
    "bench",
    new Date(),
  );
  const version = await latestBaseline("bench-baseline");
  if (!version) throw new Error("the baseline was not stored");
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const summary = await loadBaseline(version);
    times.push(performance.now() - started);
    if (summary.rows !== ROWS) throw new Error(`loaded ${summary.rows} rows`);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(
    `${JSON.stringify({
      bench: "baseline-load",
      rows: ROWS,
      features: 20,
      megabytes: Math.round(version.bytes / 1e6),
      minMs: Math.round(times[0] as number),
      medianMs: Math.round(times[Math.floor(RUNS / 2)] as number),
      maxMs: Math.round(times[RUNS - 1] as number),
    })}\n`,
  );
} finally {
  await localAws.stop();
}
