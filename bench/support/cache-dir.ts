import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the benchmarks keep the data files they derive, so only the first run pays for them. */
const BENCH_CACHE_DIR = fileURLToPath(
  new URL("../../node_modules/.cache/driftwatch-bench/", import.meta.url),
);

/** The path of a file in the benchmark cache (which may not exist yet). */
export function cachePath(name: string): string {
  return join(BENCH_CACHE_DIR, name);
}

/** Whether every one of these cached files is already there. */
export function allCached(paths: string[]): boolean {
  return paths.every((path) => existsSync(path));
}

/**
 * Writes text given in chunks (whole CSV lines each) under a temporary name, then renames it into
 * place, so an interrupted run never leaves half a file in the cache.
 */
export function writeAtomically(path: string, chunks: Iterable<string>): void {
  mkdirSync(BENCH_CACHE_DIR, { recursive: true });
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, "");
  for (const chunk of chunks) writeFileSync(partial, chunk, { flag: "a" });
  renameSync(partial, path);
}
