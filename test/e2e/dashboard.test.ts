import { mkdir } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { formatMilliseconds, formatNumber, formatPercent, formatTime } from "../../dashboard/src/format.ts";
import { launchChromium } from "../support/browser.ts";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { churnRecords } from "../support/monitored-model.ts";
import { Random } from "../support/random.ts";
import { uniqueModelId } from "../support/stored-data.ts";

/**
 * The web dashboard in a real browser (headless Chromium), served at /dashboard/ by the local API's
 * own server over the real handlers: a model with a baseline, a quiet check and a drifted one (whose
 * alert fires), labels for the first; a model checked without a baseline; and one with nothing yet.
 */
const call = useLocalApi();
const SCREENSHOTS = "test-results/dashboard";
const prefix = uniqueModelId("dashboard");
const drifted = `${prefix}-drifted`;
const quiet = `${prefix}-empty`;
const unbaselined = `${prefix}-no-baseline`;
let browser: Browser;
let page: Page;
/** The drifted model's checks, newest first. */
const checks: { checkId: string; window: { from: string; to: string } }[] = [];
/** Uncaught errors and console warnings of the page, checked after each test. */
const pageProblems: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(15_000);
  page.on("pageerror", (error) => pageProblems.push(error.message));
  // Plot warns on the console about a chart it drew wrongly; failed requests are errors, and expected here.
  page.on("console", (message) => {
    if (message.type() === "warning") pageProblems.push(message.text());
  });
  await mkdir(SCREENSHOTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});
afterEach(() => {
  expect(pageProblems.splice(0)).toEqual([]);
});

/** A call as the admin that must answer `status`; its body. */
async function asAdmin(method: string, path: string, body: unknown, status: number) {
  const answer = await call(method, path, { token: ADMIN_TOKEN, body });
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
  return answer.body;
}

/** Checks the model's window from `from` to now (the records just logged); the check and its window. */
async function checkSince(modelId: string, from: string) {
  await sleep(5);
  const window = { from, to: new Date().toISOString() };
  const check = await asAdmin("POST", `/v1/models/${modelId}/checks`, { window }, 200);
  return { checkId: check.checkId as string, window, drift: check.drift };
}

beforeAll(async () => {
  const random = new Random(7);
  await asAdmin("PUT", `/v1/models/${quiet}`, { task: "classification" }, 200);

  await asAdmin("PUT", `/v1/models/${unbaselined}`, { task: "classification", minSamples: 50 }, 200);
  const start = new Date().toISOString();
  await asAdmin("POST", `/v1/models/${unbaselined}/predictions`, { records: churnRecords(random, 100) }, 202);
  expect((await checkSince(unbaselined, start)).drift.status).toBe("no-baseline");

  const rules = [{ name: "drift", metric: "drift.share", threshold: 0.2, severity: "warning" }];
  await asAdmin(
    "PUT",
    `/v1/models/${drifted}`,
    { task: "classification", minSamples: 50, alerts: { rules } },
    200,
  );
  await asAdmin("PUT", `/v1/models/${drifted}/baseline`, { records: churnRecords(random, 500) }, 200);
  let from = new Date().toISOString();
  for (const [index, shift] of [0, 2].entries()) {
    const records = churnRecords(random, 200, shift).map((record, k) => ({
      ...record,
      id: `${drifted}-${index}-${k}`,
      probabilities: record.prediction === "churn" ? { churn: 0.8, stay: 0.2 } : { churn: 0.1, stay: 0.9 },
    }));
    await asAdmin("POST", `/v1/models/${drifted}/predictions`, { records }, 202);
    if (shift === 0) {
      // Ground truth for the quiet window: right four times in five.
      const labels = records.map((record, k) => ({
        id: record.id,
        label: k % 5 === 0 ? (record.prediction === "churn" ? "stay" : "churn") : record.prediction,
      }));
      await asAdmin("POST", `/v1/models/${drifted}/ground-truth`, { labels }, 202);
    }
    const check = await checkSince(drifted, from);
    from = check.window.to;
    checks.unshift(check);
  }
});

async function screenshot(name: string) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

async function signIn(token: string) {
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("the web dashboard", () => {
  it("refuses a wrong token on the sign-in form, in words", async () => {
    await page.goto(call.dashboardUrl);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in");
    await signIn("not-a-token");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Sign-in failed: Malformed token.");
    await screenshot("sign-in");
  });

  it("lists each model with its newest check: rows, drifted features, firing alerts, label coverage", async () => {
    await signIn(ADMIN_TOKEN);
    await page.getByLabel("Filter by model id").fill(prefix);
    const row = (modelId: string, column: string) =>
      page.locator(`tr[data-model="${modelId}"] td[data-column="${column}"]:not([aria-busy])`);
    await expect.poll(() => row(drifted, "drift").textContent()).toBe("Drift 1 feature (50%): tenure");
    expect(await row(drifted, "firing-alerts").textContent()).toBe("1");
    expect(await row(drifted, "rows").textContent()).toBe("200");
    const coverage = (await call("GET", `/v1/models/${drifted}/performance?limit=1`, { token: ADMIN_TOKEN }))
      .body.history[0].coverage;
    expect(await row(drifted, "coverage").textContent()).toBe(formatPercent(coverage));
    expect(await row(quiet, "drift").textContent()).toBe("No checks yet");
    expect(await row(quiet, "firing-alerts").textContent()).toBe("0");
    expect(await row(unbaselined, "drift").textContent()).toBe("No baseline");
    expect(await row(unbaselined, "rows").textContent()).toBe("100");
    expect(await row(unbaselined, "coverage").textContent()).toBe("No labels yet");
    expect(await page.locator("tr[data-model]").count()).toBe(3);
    await screenshot("models");
  });

  it("shows one model's newest numbers as the API gives them, and a chart in each view", async () => {
    // By keyboard: from the filter, the next stop is the first model's link.
    await page.getByLabel("Filter by model id").focus();
    await page.keyboard.press("Tab");
    expect(await page.locator(":focus").textContent()).toBe(drifted);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("h1:focus").textContent()).toBe(drifted);
    const metric = (name: string) => page.locator(`#summary dd[data-metric="${name}"]`);
    const drift = (await call("GET", `/v1/models/${drifted}/drift?limit=1`, { token: ADMIN_TOKEN })).body;
    const latency = (await call("GET", `/v1/models/${drifted}/latency?limit=1`, { token: ADMIN_TOKEN })).body;
    expect(drift.history[0].share).toBe(0.5);
    await expect.poll(() => metric("share").textContent()).toBe(formatPercent(drift.history[0].share));
    expect(await metric("p95").textContent()).toBe(formatMilliseconds(latency.p95));
    expect(await metric("rows").textContent()).toBe("200");
    expect(await metric("firing").textContent()).toBe("1");
    expect(await page.locator(`#latency [data-metric="p95"]`).textContent()).toBe(
      formatMilliseconds(latency.p95),
    );
    for (const view of ["drift", "distributions", "prediction", "performance", "latency"]) {
      const chart = page.locator(`#${view} figure.chart svg[role="img"]`);
      await expect.poll(() => chart.count(), { message: `a chart in ${view}` }).toBe(1);
      expect(await chart.getAttribute("aria-label")).toBeTruthy();
    }
    expect(await page.locator("#drift svg[role=img]").getAttribute("aria-label")).toBe(
      "PSI per feature over the last 2 scored checks",
    );
    const prediction = drift.latest.prediction;
    expect(await page.locator('#prediction [data-metric="prediction-psi"]').textContent()).toBe(
      `Prediction PSI at the newest check (window end ${formatTime(checks[0]?.window.to as string)}): ` +
        `${formatNumber(prediction.tests.psi.value)}, ${prediction.drifted ? "drifted" : "no drift"}.`,
    );
    expect(await metric("prediction-psi").textContent()).toBe(formatNumber(prediction.tests.psi.value));
    const config = await page.locator("#configuration pre").textContent();
    expect(JSON.parse(config ?? "")).toMatchObject({ task: "classification", minSamples: 50 });
    await screenshot("model");
  });

  it("draws the histogram of the check selected, the newest by default", async () => {
    const [newest, older] = checks as [(typeof checks)[0], (typeof checks)[0]];
    const title = () => page.locator("#distributions figure.chart svg[role=img]").getAttribute("aria-label");
    expect(await page.getByLabel("Check (window end)").inputValue()).toBe(newest.checkId);
    expect(await page.getByLabel("Feature", { exact: true }).inputValue()).toBe("tenure");
    expect(await title()).toContain(`window ending ${formatTime(newest.window.to)}`);

    await page.getByLabel("Check (window end)").selectOption(older.checkId);
    await expect.poll(title).toContain(`window ending ${formatTime(older.window.to)}`);
    const distributions = (
      await call("GET", `/v1/models/${drifted}/distributions?checkId=${encodeURIComponent(older.checkId)}`, {
        token: ADMIN_TOKEN,
      })
    ).body;
    const bins = distributions.features.tenure.bins;
    expect(await page.locator("#distributions figure.chart tbody tr").count()).toBe(bins.length);
    expect(await page.locator("#distributions figure.chart tbody tr").first().textContent()).toBe(
      `${bins[0].label}${formatPercent(bins[0].reference)}${formatPercent(bins[0].current)}`,
    );
    await page.locator("#distributions").screenshot({ path: `${SCREENSHOTS}/distributions.png` });
  });

  it("draws its charts again at the width the window leaves them, narrower and wider", async () => {
    const driftChartWidth = async () =>
      Number(await page.locator("#drift figure.chart svg[role=img]").getAttribute("width"));
    const wide = await driftChartWidth();
    const title = await page.locator("#drift svg[role=img]").getAttribute("aria-label");

    await page.setViewportSize({ width: 700, height: 800 });
    await expect.poll(driftChartWidth).toBeLessThan(700);
    const fits = await page.locator("#drift figure.chart").evaluate((figure) => figure.clientWidth);
    expect(await driftChartWidth()).toBe(Math.max(320, fits));
    expect(await page.locator("#drift svg[role=img]").getAttribute("aria-label")).toBe(title);
    await screenshot("model-narrow");

    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(driftChartWidth).toBe(wide);
    expect(await page.locator("#drift figure.chart svg[role=img]").count()).toBe(1);
  });

  it("acknowledges an alert from its row", async () => {
    await page.getByRole("button", { name: "Acknowledge drift" }).press("Enter");
    await expect
      .poll(() => page.locator('#alerts td[data-column="state"]').textContent())
      .toBe("acknowledged by admin");
    expect(await page.getByRole("status").textContent()).toContain("Acknowledged drift");
    // The button went away with the focus; the outcome beside it has it now.
    expect(await page.locator(":focus").getAttribute("role")).toBe("status");
    const alerts = (await call("GET", `/v1/alerts?model=${drifted}`, { token: ADMIN_TOKEN })).body.alerts;
    expect(alerts).toMatchObject([
      { rule: { name: "drift" }, state: "acknowledged", acknowledgedBy: "admin" },
    ]);
    await page.locator("#alerts").screenshot({ path: `${SCREENSHOTS}/alerts.png` });
  });

  it("says why a model without checks shows nothing yet", async () => {
    await page.goto(`${call.dashboardUrl}#/models/${quiet}`);
    await expect.poll(() => page.locator("#summary .panel-body").textContent()).toBe("No checks yet.");
    for (const view of ["drift", "distributions", "prediction", "performance", "latency"])
      await expect
        .poll(() => page.locator(`#${view} .panel-body`).textContent())
        .toBe(
          `No checks yet. The model's schedule runs them, or run one now: POST /v1/models/${quiet}/checks.`,
        );
    await expect.poll(() => page.locator("#alerts .panel-body").textContent()).toContain("No alerts");
    await screenshot("model-without-checks");
  });

  it("says what a model checked without a baseline lacks, and shows what it has", async () => {
    await page.goto(`${call.dashboardUrl}#/models/${unbaselined}`);
    await expect
      .poll(() => page.locator('#summary dd[data-metric="drift"]').textContent())
      .toBe("No baseline");
    const noBaseline = `No drift scores yet: the model has no baseline to compare with. Set one with PUT /v1/models/${unbaselined}/baseline.`;
    for (const view of ["drift", "distributions", "prediction"])
      await expect.poll(() => page.locator(`#${view} .panel-body`).textContent()).toBe(noBaseline);
    await expect
      .poll(() => page.locator("#performance .panel-body").textContent())
      .toContain("Newest check: No labels yet.No labels yet, so nothing to draw");
    await expect.poll(() => page.locator('#latency figure.chart svg[role="img"]').count()).toBe(1);
    await screenshot("model-without-baseline");
  });

  it("refuses another model's page to a model token, and sends the user back to sign in once the API refuses the token", async () => {
    const created = await call("POST", `/v1/models/${drifted}/tokens`, { token: ADMIN_TOKEN });
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("Signed out.");
    await signIn(created.body.token);
    // Signing in keeps the page asked for: the other model's, which this token may not read.
    await expect
      .poll(() => page.locator("main .error").textContent())
      .toBe(
        `Could not load model ${unbaselined}: This token is scoped to model "${drifted}", not "${unbaselined}".`,
      );
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Models" }).click();
    await expect.poll(() => page.locator("tr[data-model]").count()).toBe(1);
    const revoked = await call("DELETE", `/v1/models/${drifted}/tokens/${created.body.tokenId}`, {
      token: ADMIN_TOKEN,
    });
    expect(revoked.status).toBe(204);
    await page.getByRole("link", { name: drifted }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toBe("Signed out: the API no longer accepts this token (This token was revoked). Sign in again.");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in");
  });
});
