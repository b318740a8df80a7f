import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadOrCreateAdminToken } from "#shared/local/admin-token-file";

let dataDir: string;
const tokenFile = () => join(dataDir, "admin-token");

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "driftwatch-admin-token-"));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe("loadOrCreateAdminToken", () => {
  it("writes a new token to <dataDir>/admin-token, readable by its owner alone", async () => {
    const token = await loadOrCreateAdminToken(dataDir);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(readFileSync(tokenFile(), "utf8").trim()).toBe(token);
    expect(statSync(tokenFile()).mode & 0o777).toBe(0o600);
  });

  it("returns the saved token on the next call", async () => {
    const first = await loadOrCreateAdminToken(dataDir);
    expect(await loadOrCreateAdminToken(dataDir)).toBe(first);
  });

  it("creates a data dir that does not exist yet", async () => {
    const nested = join(dataDir, "not", "yet");
    const token = await loadOrCreateAdminToken(nested);
    expect(readFileSync(join(nested, "admin-token"), "utf8").trim()).toBe(token);
  });

  it("reads a token a user put in the file, ignoring the trailing newline", async () => {
    writeFileSync(tokenFile(), "my-own-token\n", { mode: 0o600 });
    expect(await loadOrCreateAdminToken(dataDir)).toBe("my-own-token");
  });

  it("makes a new token once the file is gone, as after --fresh", async () => {
    const first = await loadOrCreateAdminToken(dataDir);
    rmSync(tokenFile());
    const second = await loadOrCreateAdminToken(dataDir);
    expect(second).not.toBe(first);
    expect(readFileSync(tokenFile(), "utf8").trim()).toBe(second);
  });
});
