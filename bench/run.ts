/**
 * Runs the benchmarks: every `bench/*.ts` file but this one, in name order, each in its own Node
 * process (so one benchmark's heap and JIT state cannot colour the next), with TypeScript loaded by
 * tsx. A benchmark is a plain script that prints its figures on stdout as JSON lines, one object per
 * line with a "bench" field, and anything else (progress, notes) on stderr. Helpers live in
 * bench/support/ and are not run.
 *
 *   npm run bench                 # all of them
 *   npm run bench -- flights      # those whose file name contains "flights"
 *
 * Exits non-zero if any benchmark failed, after running the rest.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const benchDir = fileURLToPath(new URL(".", import.meta.url));
const filters = process.argv.slice(2);
const benchmarks = readdirSync(benchDir)
  .filter((name) => name.endsWith(".ts") && name !== "run.ts")
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

let failed = 0;
for (const name of benchmarks) {
  process.stderr.write(`bench: ${name}\n`);
  const result = spawnSync(process.execPath, ["--import", "tsx", `${benchDir}${name}`], {
    stdio: "inherit",
    // The SDK's notice that Node 20 support ends would interleave with the figures.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", ...process.env },
  });
  if (result.status !== 0) {
    failed++;
    process.stderr.write(`bench: ${name} failed (exit ${result.status ?? result.signal})\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
