import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Model tokens read `dw_<tokenId>_<secret>`: the id finds the stored hash in one key lookup (and
 * names the token for revocation), the 256-bit secret is never stored, only its SHA-256.
 */
const MODEL_TOKEN = /^dw_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface ModelToken {
  tokenId: string;
  secret: string;
}

export function mintModelToken(): ModelToken & { token: string } {
  const tokenId = randomBytes(8).toString("hex");
  const secret = randomBytes(32).toString("base64url");
  return { tokenId, secret, token: `dw_${tokenId}_${secret}` };
}

export function parseModelToken(token: string): ModelToken | undefined {
  const match = MODEL_TOKEN.exec(token);
  return match ? { tokenId: match[1] as string, secret: match[2] as string } : undefined;
}

export const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

/** Constant-time comparison, so response timing reveals nothing about a secret. */
export function sameSecret(presented: string, expectedHash: string): boolean {
  const presentedHash = Buffer.from(sha256(presented), "hex");
  const expected = Buffer.from(expectedHash, "hex");
  return presentedHash.length === expected.length && timingSafeEqual(presentedHash, expected);
}

/** A random admin token for local runs that were given none. */
export const generateAdminToken = (): string => randomBytes(24).toString("base64url");
