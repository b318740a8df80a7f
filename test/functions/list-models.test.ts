import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

describe("GET /v1/models", () => {
  it("lists every model with its config for the admin, and only its own for a model token", async () => {
    const [first, second] = [uniqueModelId("listed-a"), uniqueModelId("listed-b")];
    for (const modelId of [first, second]) {
      expect(
        (await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body: { task: "regression" } }))
          .status,
      ).toBe(200);
    }
    const all = await call("GET", "/v1/models", { token: ADMIN_TOKEN });
    expect(all.status).toBe(200);
    const ids = all.body.models.map((model: { modelId: string }) => model.modelId);
    expect(ids).toEqual(expect.arrayContaining([first, second]));
    expect(ids).toEqual([...ids].sort());
    expect(all.body.models.find((model: { modelId: string }) => model.modelId === first)).toMatchObject({
      config: { task: "regression", window: "PT1H" },
      updatedAt: expect.any(String),
    });

    const token = (await call("POST", `/v1/models/${second}/tokens`, { token: ADMIN_TOKEN })).body.token;
    const own = await call("GET", "/v1/models", { token });
    expect(own.body.models.map((model: { modelId: string }) => model.modelId)).toEqual([second]);
    expect((await call("GET", "/v1/models")).status).toBe(401);
  });
});
