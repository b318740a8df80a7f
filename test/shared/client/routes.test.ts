import { describe, expect, it } from "vitest";
import { clientRoutes, routeUrl } from "#shared/client/routes";
import { routes } from "#shared/http/routes";

/** API routes the client leaves out: Prometheus text for a scraper, and the dashboard's histograms. */
const NOT_CALLED = ["GET /metrics", "GET /v1/models/{modelId}/distributions"];

const key = ({ method, path }: { method: string; path: string }) => `${method} ${path}`;

describe("the client's routes", () => {
  it("are the API's routes, each with a method of the client", () => {
    const api = routes.map(key);
    const client = Object.values(clientRoutes).map(key);
    expect(api).toEqual(expect.arrayContaining(client));
    expect(client.sort()).toEqual(api.filter((route) => !NOT_CALLED.includes(route)).sort());
  });

  it("resolve under the base URL's path and leave undefined query parameters out", () => {
    const url = routeUrl(
      new URL("https://abc.execute-api.eu-west-1.amazonaws.com/prod/"),
      "getDrift",
      {
        modelId: "churn",
      },
      { limit: 24, cursor: undefined },
    );
    expect(url.href).toBe(
      "https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/models/churn/drift?limit=24",
    );
  });
});
