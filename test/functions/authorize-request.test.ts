import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { logObjectKeys, uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

let modelId: string;
let otherModelId: string;
let modelToken: string;
let otherToken: string;

beforeAll(async () => {
  modelId = uniqueModelId("auth");
  otherModelId = uniqueModelId("auth-other");
  for (const id of [modelId, otherModelId]) {
    await call("PUT", `/v1/models/${id}`, { token: ADMIN_TOKEN, body: { task: "regression" } });
  }
  modelToken = (await call("POST", `/v1/models/${modelId}/tokens`, { token: ADMIN_TOKEN })).body.token;
  otherToken = (await call("POST", `/v1/models/${otherModelId}/tokens`, { token: ADMIN_TOKEN })).body.token;
});

const ingest = (token?: string, id = modelId) =>
  call("POST", `/v1/models/${id}/predictions`, { ...(token ? { token } : {}), body: sampleRecord(1) });

describe("bearer-token authorization", () => {
  it("lets anyone read /health", async () => {
    const answer = await call("GET", "/health");
    expect(answer).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("answers 401 without a token, as API Gateway does before calling the authorizer", async () => {
    expect((await ingest()).status).toBe(401);
  });

  it("answers 401 problem+json for a malformed token", async () => {
    const answer = await ingest("not-a-token");
    expect(answer.status).toBe(401);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(answer.body.detail).toBe("Malformed token");
  });

  it("answers 401 for a well-formed token nobody issued", async () => {
    const forged = `dw_0123456789abcdef_${"A".repeat(43)}`;
    expect((await ingest(forged)).body).toMatchObject({ status: 401, detail: "Unknown token" });
  });

  it("answers 401 for a non-Bearer Authorization header", async () => {
    const answer = await call("GET", `/v1/models/${modelId}`, {
      headers: { authorization: `Basic ${ADMIN_TOKEN}` },
    });
    expect(answer.status).toBe(401);
  });

  it("lets a model token write and read its own model", async () => {
    expect((await ingest(modelToken)).status).toBe(202);
    expect((await call("GET", `/v1/models/${modelId}`, { token: modelToken })).status).toBe(200);
  });

  it("answers 403 to a token of another model, storing nothing", async () => {
    const answer = await ingest(otherToken);
    expect(answer.status).toBe(403);
    expect(answer.body.detail).toContain(otherModelId);
    expect(await logObjectKeys(otherModelId)).toEqual([]);
  });

  it("keeps admin routes for the admin token", async () => {
    const answer = await call("PUT", `/v1/models/${modelId}`, {
      token: modelToken,
      body: { task: "regression" },
    });
    expect(answer.status).toBe(403);
    expect((await call("POST", `/v1/models/${modelId}/tokens`, { token: modelToken })).status).toBe(403);
  });

  it("answers 401 to a revoked token", async () => {
    const issued = (await call("POST", `/v1/models/${modelId}/tokens`, { token: ADMIN_TOKEN })).body;
    expect((await ingest(issued.token)).status).toBe(202);
    const revoked = await call("DELETE", `/v1/models/${modelId}/tokens/${issued.tokenId}`, {
      token: ADMIN_TOKEN,
    });
    expect(revoked.status).toBe(204);
    expect((await ingest(issued.token)).body).toMatchObject({
      status: 401,
      detail: "This token was revoked",
    });
  });

  it("answers 404 when revoking a token the model does not have", async () => {
    const answer = await call("DELETE", `/v1/models/${modelId}/tokens/0000000000000000`, {
      token: ADMIN_TOKEN,
    });
    expect(answer.status).toBe(404);
  });

  it("shows a token once and stores only its hash", async () => {
    const issued = (await call("POST", `/v1/models/${modelId}/tokens`, { token: ADMIN_TOKEN })).body;
    expect(issued.token).toMatch(/^dw_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const { findToken } = await import("#shared/storage/token-store");
    const stored = await findToken(issued.tokenId);
    expect(stored?.modelId).toBe(modelId);
    expect(JSON.stringify(stored)).not.toContain(issued.token.slice(20));
  });
});
