/**
 * Preloaded into a benchmarked process (`node --import …/report-peak-rss.mjs`): when the process
 * exits, writes its peak resident set size in kilobytes (getrusage's ru_maxrss, the figure
 * `/usr/bin/time -v` reports as "Maximum resident set size") to the file named by
 * DRIFTWATCH_PEAK_RSS_FILE. Plain JavaScript, so the measured process runs no TypeScript loader.
 */
import { writeFileSync } from "node:fs";

const target = process.env.DRIFTWATCH_PEAK_RSS_FILE;
if (target) {
  process.on("exit", () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
}
