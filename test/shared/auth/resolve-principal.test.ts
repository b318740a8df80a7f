import { describe, expect, it } from "vitest";
import { mintModelToken, sha256 } from "#shared/auth/api-token";
import { resolvePrincipal, type TokenSources } from "#shared/auth/resolve-principal";
import type { StoredToken } from "#shared/storage/token-store";

const issued = mintModelToken();
const revoked = mintModelToken();
const stored = new Map<string, StoredToken>([
  [
    issued.tokenId,
    { tokenId: issued.tokenId, modelId: "m1", secretHash: sha256(issued.secret), createdAt: "t" },
  ],
  [
    revoked.tokenId,
    {
      tokenId: revoked.tokenId,
      modelId: "m1",
      secretHash: sha256(revoked.secret),
      createdAt: "t",
      revokedAt: "t",
    },
  ],
]);
// The token table as a map: this is pure logic, the storage side is tested against DynamoDB Local.
const sources: TokenSources = {
  adminToken: async () => "admin-secret",
  findToken: async (id) => stored.get(id),
};

describe("resolvePrincipal", () => {
  it("recognises the admin token", async () => {
    expect(await resolvePrincipal("Bearer admin-secret", sources)).toEqual({ principal: "admin" });
  });

  it("resolves a model token to its model", async () => {
    expect(await resolvePrincipal(`Bearer ${issued.token}`, sources)).toEqual({
      principal: "model",
      modelId: "m1",
      tokenId: issued.tokenId,
    });
  });

  it.each([
    [undefined, "Missing bearer token"],
    ["Basic abc", "Malformed Authorization header"],
    ["Bearer", "Malformed Authorization header"],
    ["Bearer admin-secretX", "Malformed token"],
    [`Bearer dw_${issued.tokenId}_${"B".repeat(43)}`, "Unknown token"],
    [`Bearer dw_ffffffffffffffff_${issued.secret}`, "Unknown token"],
    [`Bearer ${revoked.token}`, "This token was revoked"],
  ])("leaves %j anonymous with the reason %j", async (header, reason) => {
    const principal = await resolvePrincipal(header, sources);
    expect(principal.principal).toBe("anonymous");
    expect(principal.principal === "anonymous" && principal.reason).toContain(reason);
  });
});
