import { describe, expect, it } from "vitest";
import { mintModelToken, parseModelToken, sameSecret, sha256 } from "#shared/auth/api-token";

describe("model tokens", () => {
  it("mint a token that parses back into its id and secret", () => {
    const minted = mintModelToken();
    expect(parseModelToken(minted.token)).toEqual({ tokenId: minted.tokenId, secret: minted.secret });
  });

  it("never mint the same token twice", () => {
    const tokens = new Set(Array.from({ length: 200 }, () => mintModelToken().token));
    expect(tokens.size).toBe(200);
  });

  it.each([
    "",
    "dw_",
    "dw_xyz_abc",
    `dw_0123456789abcdef_${"a".repeat(42)}`,
    `xx_0123456789abcdef_${"a".repeat(43)}`,
  ])("reject the malformed token %j", (token) => {
    expect(parseModelToken(token)).toBeUndefined();
  });

  it("compare a presented secret with a stored hash", () => {
    expect(sameSecret("s3cret", sha256("s3cret"))).toBe(true);
    expect(sameSecret("s3cret", sha256("other"))).toBe(false);
    expect(sameSecret("s3cret", "not-a-hash")).toBe(false);
  });
});
