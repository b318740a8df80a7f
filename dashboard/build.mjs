/**
 * Bundles the web dashboard into dashboard/dist/ (index.html, app.js, app.css): the static files a
 * bucket, or the local server at /dashboard/, serves as they are. Run it as a script
 * (`node dashboard/build.mjs`) or import buildDashboard(): the local server calls it when dist/ is
 * missing or older than the sources.
 */
import { copyFile, mkdir, readdir, rename, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const DASHBOARD = fileURLToPath(new URL("./", import.meta.url));

/** What the build reads, relative to dashboard/: a change to any of them calls for a new build. */
const SOURCE_DIRECTORY = "src";
const PAGE = "index.html";

/** What the build writes into its output directory. */
export const DASHBOARD_FILES = ["index.html", "app.js", "app.css"];

/** The default output directory, dashboard/dist/. */
export const DASHBOARD_DIST = join(DASHBOARD, "dist");

/**
 * Builds the dashboard: app.js (the TypeScript modules and Observable Plot, minified for browsers),
 * app.css and index.html in `outdir`. Each file is written beside its place and renamed into it, so
 * a server reading dist/ during a build serves the old file or the new one, never half of one.
 *
 * @param {{ outdir?: string }} [options] where to write (default dashboard/dist/)
 * @returns {Promise<string>} the absolute path of the output directory
 * @example
 * const dist = await buildDashboard({ outdir: mkdtempSync(join(tmpdir(), "dashboard-")) });
 */
export async function buildDashboard(options = {}) {
  const outdir = options.outdir ?? DASHBOARD_DIST;
  await mkdir(outdir, { recursive: true });
  // Loaded here, not at the top: the local server imports this module to check dist/ on every start.
  const { build } = await import("esbuild");
  const { outputFiles } = await build({
    absWorkingDir: DASHBOARD,
    entryPoints: [
      { in: join(SOURCE_DIRECTORY, "main.ts"), out: "app" },
      { in: join(SOURCE_DIRECTORY, "app.css"), out: "app" },
    ],
    outdir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: ["es2022"],
    minify: true,
    // The bundled libraries' licence notices travel with them, at the end of app.js.
    legalComments: "eof",
    write: false,
    logLevel: "warning",
  });
  const suffix = `.${process.pid}.tmp`;
  await Promise.all(
    outputFiles.map(async (file) => {
      await writeFile(`${file.path}${suffix}`, file.contents);
      await rename(`${file.path}${suffix}`, file.path);
    }),
  );
  const page = join(outdir, PAGE);
  await copyFile(join(DASHBOARD, PAGE), `${page}${suffix}`);
  await rename(`${page}${suffix}`, page);
  return outdir;
}

/**
 * Whether `outdir` lacks one of the built files, or one of them is older than a source file (or
 * this build script), so that buildDashboard() must run before dist/ is served.
 *
 * @param {string} [outdir] the output directory (default dashboard/dist/)
 * @returns {Promise<boolean>}
 */
export async function dashboardIsStale(outdir = DASHBOARD_DIST) {
  const built = await Promise.all(DASHBOARD_FILES.map((name) => modifiedAt(join(outdir, name))));
  if (built.some((time) => time === undefined)) return true;
  const sources = [
    fileURLToPath(import.meta.url),
    join(DASHBOARD, PAGE),
    ...(await readdir(join(DASHBOARD, SOURCE_DIRECTORY), { recursive: true })).map((name) =>
      join(DASHBOARD, SOURCE_DIRECTORY, name),
    ),
  ];
  const newestSource = Math.max(...(await Promise.all(sources.map(modifiedAt))).map((time) => time ?? 0));
  return Math.min(...built.map((time) => time ?? 0)) < newestSource;
}

/** @param {string} path */
async function modifiedAt(path) {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = await buildDashboard();
  process.stdout.write(`built ${DASHBOARD_FILES.join(", ")} in ${outdir}\n`);
}
