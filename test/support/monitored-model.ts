import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "vitest";
import { ADMIN_TOKEN, type ApiAnswer, type RequestOptions } from "./local-api.ts";
import { Random } from "./random.ts";
import { uniqueModelId } from "./stored-data.ts";

type Call = (method: string, path: string, options?: RequestOptions) => Promise<ApiAnswer>;

/** Churn-like records: `shift` moves tenure by that many standard deviations (drift). */
export function churnRecords(random: Random, count: number, shift = 0) {
  return Array.from({ length: count }, () => ({
    features: { tenure: 24 + 6 * (random.normal() + shift), plan: random.next() < 0.3 ? "pro" : "basic" },
    prediction: random.next() < 0.2 ? "churn" : "stay",
    latencyMs: 10 + 5 * random.next(),
  }));
}

/**
 * A classification model with a 500-row baseline, created through the API, and a way to log a window
 * of records and check it: each check covers the time since the previous one.
 */
export async function monitoredModel(call: Call, name: string, config: Record<string, unknown> = {}) {
  const modelId = uniqueModelId(name);
  const random = new Random(7);
  await call("PUT", `/v1/models/${modelId}`, {
    token: ADMIN_TOKEN,
    body: { task: "classification", minSamples: 50, ...config },
  });
  await call("PUT", `/v1/models/${modelId}/baseline`, {
    token: ADMIN_TOKEN,
    body: { records: churnRecords(random, 500) },
  });
  let from = new Date().toISOString();
  return {
    modelId,
    /** Logs 200 records (shifted: drifted) and checks the window since the last check. */
    async check(shift: number) {
      await call("POST", `/v1/models/${modelId}/predictions`, {
        token: ADMIN_TOKEN,
        body: { records: churnRecords(random, 200, shift) },
      });
      await sleep(5);
      const window = { from, to: new Date().toISOString() };
      from = window.to;
      const answer = await call("POST", `/v1/models/${modelId}/checks`, {
        token: ADMIN_TOKEN,
        body: { window },
      });
      expect(answer.status).toBe(200);
      return answer.body;
    },
  };
}
