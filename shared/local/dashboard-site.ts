import { readFile } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join } from "node:path";
import { buildDashboard, DASHBOARD_DIST, DASHBOARD_FILES, dashboardIsStale } from "../../dashboard/build.mjs";

/** Where the local API serves the dashboard: beside the API, on the same origin, so no CORS is needed. */
export const DASHBOARD_PATH = "/dashboard/";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

/**
 * What the browser may load: the page's own files and API calls to its origin. Plot writes a
 * `<style>` into each chart and styles on its elements, hence the inline styles.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

let building: Promise<void> | undefined;

/**
 * Serves `GET /dashboard/` and its files from dashboard/dist/, building them first when they are
 * missing or older than the sources (so an edited source shows on the next reload), and a generated
 * `config.json` naming the origin the request came to as the API's. Answers whether the request was
 * the dashboard's; every other path is left to the API routes.
 */
export async function serveDashboard(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
  const url = new URL(request.url ?? "/", "http://localhost");
  if (url.pathname === DASHBOARD_PATH.slice(0, -1)) {
    response.writeHead(308, { location: `${DASHBOARD_PATH}${url.search}`, "content-length": "0" });
    response.end();
    return true;
  }
  if (!url.pathname.startsWith(DASHBOARD_PATH)) return false;
  if (request.method !== "GET" && request.method !== "HEAD") {
    send(response, request, 405, "text/plain; charset=utf-8", "Method Not Allowed", { allow: "GET, HEAD" });
    return true;
  }
  const name = url.pathname.slice(DASHBOARD_PATH.length) || "index.html";
  if (name === "config.json") {
    const apiUrl = `http://${request.headers.host ?? "127.0.0.1"}`;
    send(response, request, 200, "application/json", JSON.stringify({ apiUrl }));
    return true;
  }
  if (!DASHBOARD_FILES.includes(name)) {
    send(response, request, 404, "text/plain; charset=utf-8", "Not Found");
    return true;
  }
  try {
    await builtDashboard();
  } catch (error) {
    send(
      response,
      request,
      500,
      "text/plain; charset=utf-8",
      `The dashboard failed to build:\n${(error as Error).message}`,
    );
    return true;
  }
  const body = await readFile(join(DASHBOARD_DIST, name));
  send(response, request, 200, CONTENT_TYPES[extname(name)] ?? "application/octet-stream", body, {
    "content-security-policy": CONTENT_SECURITY_POLICY,
  });
  return true;
}

/** Builds dist/ when it is stale; requests arriving meanwhile wait for the same build. */
function builtDashboard(): Promise<void> {
  building ??= (async () => {
    if (await dashboardIsStale()) await buildDashboard();
  })().finally(() => {
    building = undefined;
  });
  return building;
}

function send(
  response: ServerResponse,
  request: IncomingMessage,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": String(bytes.length),
    // Rebuilt files keep their names: the browser asks again each time instead of keeping a stale copy.
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(request.method === "HEAD" ? undefined : bytes);
}
