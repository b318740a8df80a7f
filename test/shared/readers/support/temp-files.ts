import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";

/**
 * A temporary folder for the test file's fixtures, removed after its tests; returns a function that
 * writes one file there and gives its path.
 */
export function useTempFiles(): (name: string, content: string | Uint8Array) => string {
  const dir = mkdtempSync(join(tmpdir(), "driftwatch-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return (name, content) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
}
