import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { buildCli } from "../../../../shared/cli/build.mjs";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Builds the CLI bundle afresh (into a temporary folder, so a stale or concurrent dist/ cannot fool
 * the tests) before the test file runs, and returns a function that runs it as `node cli.js <args>`,
 * a child process exactly like the installed bin.
 */
export function useBuiltCli(): (args: string[]) => Promise<CliResult> {
  const dir = mkdtempSync(join(tmpdir(), "driftwatch-cli-"));
  let cli = "";
  beforeAll(async () => {
    cli = await buildCli({ outdir: dir });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (args) =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [cli, ...args],
        { env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 << 20 },
        (error, stdout, stderr) => {
          const code = error ? Number((error as NodeJS.ErrnoException & { code?: unknown }).code ?? 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
}
