import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface TimedRun {
  /** Wall-clock seconds from spawning the process to its exit. */
  seconds: number;
  /** Peak resident set size of the process, in MB (10^6 bytes). */
  peakRssMb: number;
  stdout: string;
}

const PEAK_RSS_PRELOAD = fileURLToPath(new URL("./report-peak-rss.mjs", import.meta.url));

/**
 * Runs `node <args>` as a whole process and measures it: wall time around the spawn (start-up
 * included), peak RSS from the process itself via a preloaded exit hook (see report-peak-rss.mjs), so
 * the figure does not depend on `/usr/bin/time` being installed.
 *
 * @throws Error when the process exits with a non-zero code
 */
export function timeNodeProcess(args: string[]): TimedRun {
  const dir = mkdtempSync(join(tmpdir(), "driftwatch-bench-"));
  const rssFile = join(dir, "peak-rss-kb");
  try {
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", PEAK_RSS_PRELOAD, ...args], {
      env: { ...process.env, DRIFTWATCH_PEAK_RSS_FILE: rssFile },
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 1 << 30,
      encoding: "utf8",
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0)
      throw new Error(`node ${args.join(" ")} exited with ${result.status ?? result.signal}`);
    const peakRssMb = (Number(readFileSync(rssFile, "utf8")) * 1024) / 1e6;
    return { seconds, peakRssMb, stdout: result.stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Repeats a timed run: the median wall time (the figure least moved by a busy machine) and the
 * highest peak RSS (the conservative one), with the median run's output.
 */
export function repeatRun(runs: number, run: () => TimedRun): TimedRun {
  const results = Array.from({ length: runs }, run);
  const median = [...results].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs / 2)] as TimedRun;
  return { ...median, peakRssMb: Math.max(...results.map((result) => result.peakRssMb)) };
}
