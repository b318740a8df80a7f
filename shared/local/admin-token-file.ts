import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { generateAdminToken } from "#shared/auth/api-token";

/**
 * The admin token of a local run, kept with its data in `<dataDir>/admin-token` (owner-only, like
 * any credential file): a token a user saved keeps working for as long as the data it guards, and
 * `--fresh`, which wipes the data, makes a new one.
 */
export async function loadOrCreateAdminToken(dataDir: string): Promise<string> {
  const file = join(dataDir, "admin-token");
  const saved = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return "";
    throw error;
  });
  if (saved.trim()) return saved.trim();
  const token = generateAdminToken();
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
