/**
 * Bundles the `driftwatch` CLI into one plain JavaScript file (dist/cli.js), so the bin starts without
 * compiling TypeScript. Runs at `npm install` (the `prepare` script) and `npm run build`; the CLI tests
 * call buildCli() themselves so they never run a stale bundle.
 */
import { chmod, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

// Bundled CommonJS dependencies (the @stdlib packages) call require() for Node built-ins, which an ES
// module does not define; this shim gives them one.
const BANNER = [
  "#!/usr/bin/env node",
  'import { createRequire as __driftwatchCreateRequire } from "node:module";',
  "const require = __driftwatchCreateRequire(import.meta.url);",
].join("\n");

/**
 * Builds the CLI bundle: `cli.js` in `outdir`, plus the chunks it loads only when needed (the Parquet
 * reader and its decompressors, which a CSV run never parses) under `outdir/chunks/`.
 *
 * @param {{ outdir?: string, entryPoint?: string }} [options] where to write it (default dist/,
 *   relative to the repository root) and which module to bundle (default shared/cli/main.ts)
 * @returns {Promise<string>} the absolute path of cli.js
 * @example
 * const cli = await buildCli({ outdir: mkdtempSync(join(tmpdir(), "cli-")) });
 */
export async function buildCli(options = {}) {
  const outdir = fileURLToPath(new URL(options.outdir ?? "dist", pathToFileURL(ROOT)));
  // Chunk names carry a content hash; clear the old ones so they do not pile up.
  await rm(join(outdir, "chunks"), { recursive: true, force: true });
  await build({
    absWorkingDir: ROOT,
    entryPoints: { cli: options.entryPoint ?? "shared/cli/main.ts" },
    outdir,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    splitting: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: BANNER },
    minify: false,
    sourcemap: "linked",
    logLevel: "warning",
  });
  const cli = join(outdir, "cli.js");
  await chmod(cli, 0o755);
  return cli;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cli = await buildCli();
  process.stdout.write(`built ${cli}\n`);
}
