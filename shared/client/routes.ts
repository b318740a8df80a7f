/**
 * The routes of the HTTP API (shared/http/routes.ts) the client calls, by the name of the client's
 * method. Paths are the API Gateway templates; test/shared/client/routes.test.ts holds the two lists
 * together.
 */
export const clientRoutes = {
  health: { method: "GET", path: "/health" },
  listModels: { method: "GET", path: "/v1/models" },
  putModel: { method: "PUT", path: "/v1/models/{modelId}" },
  getModel: { method: "GET", path: "/v1/models/{modelId}" },
  createToken: { method: "POST", path: "/v1/models/{modelId}/tokens" },
  revokeToken: { method: "DELETE", path: "/v1/models/{modelId}/tokens/{tokenId}" },
  logPredictions: { method: "POST", path: "/v1/models/{modelId}/predictions" },
  sendGroundTruth: { method: "POST", path: "/v1/models/{modelId}/ground-truth" },
  putBaseline: { method: "PUT", path: "/v1/models/{modelId}/baseline" },
  getBaseline: { method: "GET", path: "/v1/models/{modelId}/baseline" },
  createBaselineUpload: { method: "POST", path: "/v1/models/{modelId}/baseline/uploads" },
  getBaselineUpload: { method: "GET", path: "/v1/models/{modelId}/baseline/uploads/{uploadId}" },
  runCheck: { method: "POST", path: "/v1/models/{modelId}/checks" },
  getDrift: { method: "GET", path: "/v1/models/{modelId}/drift" },
  getLatency: { method: "GET", path: "/v1/models/{modelId}/latency" },
  getPerformance: { method: "GET", path: "/v1/models/{modelId}/performance" },
  listAlerts: { method: "GET", path: "/v1/alerts" },
  acknowledgeAlert: { method: "POST", path: "/v1/alerts/{alertId}/ack" },
} as const;

export type ClientRoute = keyof typeof clientRoutes;

/** The `{name}` parameters of a path template: `"modelId" | "tokenId"`. */
type PathParameters<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? Name | PathParameters<Rest>
  : never;

export type RouteParameters<Route extends ClientRoute> = Record<
  PathParameters<(typeof clientRoutes)[Route]["path"]>,
  string
>;

/** Query parameters; the undefined ones are left out. */
export type QueryParameters = Record<string, string | number | undefined>;

/**
 * The URL of a call under the API's base URL (which may carry a stage path, `…/prod`), each path
 * parameter percent-encoded so that an id can never reach another route.
 *
 * @throws TypeError for an empty path parameter, or `.` or `..`, which URLs read as a step up the path
 * @example
 * routeUrl(new URL("https://api.example.com/prod/"), "getDrift", { modelId: "churn" }, { limit: 24 });
 * // https://api.example.com/prod/v1/models/churn/drift?limit=24
 */
export function routeUrl<Route extends ClientRoute>(
  base: URL,
  route: Route,
  parameters: RouteParameters<Route>,
  query: QueryParameters = {},
): URL {
  const path = clientRoutes[route].path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = String((parameters as Record<string, string>)[name]);
    if (value === "" || value === "." || value === "..") {
      throw new TypeError(`DriftWatchClient: ${name} must not be ${JSON.stringify(value)}`);
    }
    return encodeURIComponent(value);
  });
  const url = new URL(path.slice(1), base);
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  return url;
}
