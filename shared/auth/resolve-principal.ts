import type { StoredToken } from "#shared/storage/token-store";
import { parseModelToken, sameSecret, sha256 } from "./api-token.ts";
import type { Principal } from "./principal.ts";

export interface TokenSources {
  adminToken: () => Promise<string>;
  findToken: (tokenId: string) => Promise<StoredToken | undefined>;
}

const BEARER = /^Bearer ([^\s]+)$/;

const anonymous = (reason: string): Principal => ({ principal: "anonymous", reason });

/** Resolves an Authorization header to the caller; never throws for a bad token, only for a fault. */
export async function resolvePrincipal(
  authorization: string | undefined,
  sources: TokenSources,
): Promise<Principal> {
  if (!authorization) return anonymous("Missing bearer token: send 'Authorization: Bearer <token>'");
  const bearer = BEARER.exec(authorization.trim());
  if (!bearer) return anonymous("Malformed Authorization header: expected 'Bearer <token>'");
  const presented = bearer[1] as string;

  if (sameSecret(presented, sha256(await sources.adminToken()))) return { principal: "admin" };

  const modelToken = parseModelToken(presented);
  if (!modelToken) return anonymous("Malformed token");
  const stored = await sources.findToken(modelToken.tokenId);
  if (!stored || !sameSecret(modelToken.secret, stored.secretHash)) return anonymous("Unknown token");
  if (stored.revokedAt) return anonymous("This token was revoked");
  return { principal: "model", modelId: stored.modelId, tokenId: stored.tokenId };
}
