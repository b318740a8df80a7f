import { mkdtemp, readFile, rm, utimes } from "node:fs/promises";
import { get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalApi, startLocalApi } from "#shared/local/api-gateway";
import { buildDashboard, DASHBOARD_FILES, dashboardIsStale } from "../../../dashboard/build.mjs";

let api: LocalApi;
let outdir: string;
beforeAll(async () => {
  api = await startLocalApi(0);
  outdir = await mkdtemp(join(tmpdir(), "dashboard-"));
});
afterAll(async () => {
  await api?.close();
  await rm(outdir, { recursive: true, force: true });
});

describe("the dashboard build", () => {
  it("writes index.html, app.js and app.css, and is stale only while one is missing or older than the sources", async () => {
    expect(await dashboardIsStale(outdir)).toBe(true);
    await buildDashboard({ outdir });
    expect(await dashboardIsStale(outdir)).toBe(false);
    const page = await readFile(join(outdir, "index.html"), "utf8");
    expect(page).toContain('<script type="module" src="app.js"></script>');
    expect((await readFile(join(outdir, "app.js"), "utf8")).length).toBeGreaterThan(10_000);

    const longAgo = new Date("2020-01-01T00:00:00Z");
    await utimes(join(outdir, "app.css"), longAgo, longAgo);
    expect(await dashboardIsStale(outdir)).toBe(true);
  });
});

describe("the dashboard on the local API's server", () => {
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${api.url}${path}`, { headers, redirect: "manual" });

  it("serves the built files at /dashboard/, with their types and a content security policy", async () => {
    expect(api.dashboardUrl).toBe(`${api.url}/dashboard/`);
    const page = await get("/dashboard/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await page.text()).toContain("<title>DriftWatch</title>");
    for (const [file, type] of [
      ["app.js", "text/javascript; charset=utf-8"],
      ["app.css", "text/css; charset=utf-8"],
    ]) {
      const answer = await get(`/dashboard/${file}`);
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toBe(type);
    }
    expect(DASHBOARD_FILES).toEqual(["index.html", "app.js", "app.css"]);
  });

  it("answers config.json with the origin the browser asked, so the API is on the page's own origin", async () => {
    // fetch() may not set Host; a browser that opened http://localhost:<port>/dashboard/ sends this one.
    const host = `localhost:${new URL(api.url).port}`;
    const body = await new Promise<string>((resolve, reject) => {
      const request = httpGet(`${api.url}/dashboard/config.json`, { headers: { host } }, (response) => {
        let text = "";
        response.on("data", (chunk) => {
          text += chunk;
        });
        response.on("end", () => resolve(text));
      });
      request.on("error", reject);
    });
    expect(JSON.parse(body)).toEqual({ apiUrl: `http://${host}` });
  });

  it("redirects /dashboard to /dashboard/, and knows no other file", async () => {
    const redirect = await get("/dashboard");
    expect(redirect.status).toBe(308);
    expect(redirect.headers.get("location")).toBe("/dashboard/");
    expect((await get("/dashboard/../package.json")).status).not.toBe(200);
    expect((await get("/dashboard/%2e%2e/package.json")).status).toBe(404);
    expect((await get("/dashboard/build.mjs")).status).toBe(404);
  });

  it("leaves every other path to the API routes", async () => {
    const answer = await get("/v1/no-such-route");
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({ message: "Not Found" });
  });
});
