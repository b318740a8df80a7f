import { z } from "zod";

/**
 * Who is calling, as the authorizer resolved it and handed it to the handlers in the request
 * context. The authorizer never denies: an anonymous principal carries the reason, and the
 * handler answers 401 with a problem+json body the contract promises.
 */
export const principalSchema = z.discriminatedUnion("principal", [
  z.object({ principal: z.literal("admin") }),
  z.object({ principal: z.literal("model"), modelId: z.string(), tokenId: z.string() }),
  z.object({ principal: z.literal("anonymous"), reason: z.string() }),
]);

export type Principal = z.infer<typeof principalSchema>;

/** How a principal is named in audit records: "admin", or "token:<tokenId>" for a model token. */
export function auditName(principal: Principal): string {
  return principal.principal === "model" ? `token:${principal.tokenId}` : principal.principal;
}
