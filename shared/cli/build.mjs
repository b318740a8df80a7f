/**
 * Bundles the `driftwatch` CLI into one plain JavaScript file (dist/cli.js), so the bin starts without
 * compiling TypeScript, and the `driftwatch/client` export into dist/client.js with its declarations
 * under dist/types/. Runs at `npm install` (the `prepare` script) and `npm run build`; the CLI tests
 * call buildCli() themselves so they never run a stale bundle.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
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

/** The declarations' entry under the types folder, as package.json's `exports` names it. */
const CLIENT_TYPES_ENTRY = "client/index.d.ts";

/**
 * Builds the client: `client.js` in `outdir`, one ES module with its dependencies (zod) bundled and
 * only Node built-ins left to import, and `types/` with the declarations of shared/client and of the
 * schemas its types come from.
 *
 * @param {{ outdir?: string }} [options] where to write it (default dist/, relative to the repository root)
 * @returns {Promise<string>} the absolute path of client.js
 * @example
 * const client = await buildClient({ outdir: mkdtempSync(join(tmpdir(), "client-")) });
 */
export async function buildClient(options = {}) {
  const outdir = fileURLToPath(new URL(options.outdir ?? "dist", pathToFileURL(ROOT)));
  await build({
    absWorkingDir: ROOT,
    entryPoints: { client: "shared/client/index.ts" },
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    minify: false,
    sourcemap: "linked",
    logLevel: "warning",
  });
  await emitClientTypes(join(outdir, "types"));
  return join(outdir, "client.js");
}

/**
 * Emits the client's declarations with tsc (tsconfig.client.json), then makes them usable from a
 * consumer's node_modules: the `#shared/...` subpath imports and the `.ts` extensions of the sources
 * become relative `.js` paths, and only the files the entry reaches are kept (tsc declares every
 * module of the program, the server-side ones the implementation imports too).
 */
async function emitClientTypes(typesDir) {
  const emitted = await mkdtemp(join(tmpdir(), "driftwatch-types-"));
  try {
    const tsc = join(
      dirname(createRequire(import.meta.url).resolve("typescript/package.json")),
      "bin",
      "tsc",
    );
    await promisify(execFile)(process.execPath, [tsc, "-p", "tsconfig.client.json", "--outDir", emitted], {
      cwd: ROOT,
    });
    await rm(typesDir, { recursive: true, force: true });
    const pending = [CLIENT_TYPES_ENTRY];
    const kept = new Set(pending);
    while (pending.length > 0) {
      const file = /** @type {string} */ (pending.pop());
      const text = await readFile(join(emitted, file), "utf8");
      const rewritten = text.replace(SPECIFIER, (whole, opening, specifier, closing) => {
        const target = declarationOf(file, specifier);
        if (target === undefined) return whole;
        if (!kept.has(target)) {
          kept.add(target);
          pending.push(target);
        }
        let path = relative(dirname(file), target).replace(/\.d\.ts$/, ".js");
        if (!path.startsWith(".")) path = `./${path}`;
        return `${opening}${path}${closing}`;
      });
      await mkdir(dirname(join(typesDir, file)), { recursive: true });
      await writeFile(join(typesDir, file), rewritten);
    }
  } finally {
    await rm(emitted, { recursive: true, force: true });
  }
}

/** A module specifier in a declaration file: `from "…"`, `import "…"` or `import("…")`. */
const SPECIFIER = /(\bfrom\s+"|\bimport\s+"|\bimport\(")([^"]+)(")/g;

/**
 * The declaration file (relative to the types folder) a specifier in `file` names, or undefined for
 * a package (`zod`, `node:crypto`), which the consumer resolves itself.
 */
function declarationOf(file, specifier) {
  const shared = /^#shared\/(.+)$/.exec(specifier);
  if (shared) return `${shared[1]}.d.ts`;
  if (!specifier.startsWith(".")) return undefined;
  return join(dirname(file), specifier).replace(/\.ts$/, ".d.ts");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const cli = await buildCli();
  process.stdout.write(`built ${cli}\n`);
  const client = await buildClient();
  process.stdout.write(`built ${client} and ${join(dirname(client), "types", CLIENT_TYPES_ENTRY)}\n`);
}
