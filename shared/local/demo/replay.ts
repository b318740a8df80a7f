import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { type DelayModel, fitDelayModel, predictDelay } from "./delay-model.ts";
import { type Flight, flightsOf } from "./flights.ts";
import { type RollbackReceiver, startRollbackReceiver } from "./rollback-receiver.ts";

const gzipAsync = promisify(gzip);

export const DEMO_MODEL = "flight-delays";
const JANUARY = 0;
const JUNE = 5;
/** January flights in the baseline: plenty for every test, small enough to upload in a second. */
const BASELINE_ROWS = 50_000;
/** Live traffic: a batch a second. */
const BATCH_SIZE = 100;
const BATCH_INTERVAL_MS = 1000;
/** Ground truth (the actual delay) arrives this long after the prediction. */
const LABEL_DELAY_MS = 20_000;
/** When version v2 ships (distance in kilometres, an overestimating model, slower). */
const V2_AFTER_MS = 4 * 60_000;
const KM_PER_MILE = 1.609344;

/**
 * The demo model's monitoring config: checks every minute over the last two minutes, and alert rules
 * of which the prediction-drift one rolls the model back (through `rollbackUrl`) after two checks.
 */
export function demoConfig(rollbackUrl: string) {
  return {
    task: "regression",
    schedule: "rate(1 minute)",
    window: "PT2M",
    minSamples: 100,
    latency: { p95Ms: 80, p99Ms: 150 },
    performance: { currentPeriod: "PT2M", referencePeriod: "PT6M", maxRelativeDrop: 0.05 },
    features: { hour: { type: "numeric" }, weekday: { type: "numeric" } },
    alerts: {
      cooldownSeconds: 300,
      emails: ["ml-oncall@example.com"],
      rules: [
        {
          name: "prediction-drift",
          metric: "prediction.psi",
          threshold: 0.25,
          severity: "critical",
          for: 2,
          action: "rollback",
        },
        { name: "latency-p95", metric: "latency.p95", threshold: 80, severity: "warning" },
        { name: "performance-drop", metric: "performance.drop", threshold: 0.2, severity: "warning" },
        { name: "no-data", metric: "noData", threshold: 0.5, severity: "warning", for: 2 },
      ],
      rollback: { type: "webhook", url: rollbackUrl },
    },
  };
}

export interface Demo {
  stop: () => Promise<void>;
}

/**
 * `npm start -- --demo`: the flights of the vega-datasets package replayed as a live model, through
 * the API like any client. January is the baseline (the model was fitted on it); June flights then
 * arrive as live traffic, a batch a second, with their actual delay as ground truth 20 s later. After
 * four minutes version v2 ships: its upstream pipeline sends distance in kilometres, its model was
 * retrained on a bad extract and overestimates delays, and it is slower. So the distance feature and
 * the predictions drift, the error grows and latency rises: the scheduled checks (every minute) show
 * each in the drift, performance and latency reports. Two checks of prediction drift fire the
 * critical rule, whose rollback webhook (served here, as a deployment tool would) puts v1 back; the
 * alerts then resolve.
 */
export async function startDemo(
  api: { url: string; adminToken: string },
  say: (line: string) => void,
): Promise<Demo> {
  const client = apiClient(api);
  say("demo: reading the vega-datasets flights (January and June 2001)...");
  const months = await flightsOf([JANUARY, JUNE]);
  const january = months.get(JANUARY) ?? [];
  // Shuffled, so that each window is a sample of the whole month rather than a few hours of one day.
  const june = shuffled(months.get(JUNE) ?? []);
  const model = fitDelayModel(january);
  const version = { current: "v1" as "v1" | "v2", rolledBack: false };
  const rollback = await startRollbackReceiver(() => {
    if (version.rolledBack) return;
    version.rolledBack = true;
    version.current = "v1";
    say("demo: the rollback webhook was called: version v1 is back (watch the alerts resolve)");
  });
  await client("PUT", `/v1/models/${DEMO_MODEL}`, demoConfig(rollback.url));
  const { current } = (await client("GET", `/v1/models/${DEMO_MODEL}/baseline`)) as { current: unknown };
  if (!current) {
    say(`demo: uploading ${BASELINE_ROWS.toLocaleString("en-US")} January flights as the baseline...`);
    await uploadBaseline(
      client,
      everyNth(january, BASELINE_ROWS).map((flight) => toRecord(model, flight, false)),
    );
  }
  say(
    `demo: replaying June as live traffic (${BATCH_SIZE} flights/s); version v2 ships after ` +
      `${V2_AFTER_MS / 60_000} minutes. Watch:\n` +
      `  curl -s -H "Authorization: Bearer ${api.adminToken}" ${api.url}/v1/models/${DEMO_MODEL}/drift\n` +
      `  (also /latency and /performance; checks run every minute; alerts: ${api.url}/v1/alerts)`,
  );
  return replayLive(client, model, june, version, rollback, say);
}

function replayLive(
  client: ApiClient,
  model: DelayModel,
  june: readonly Flight[],
  version: { current: "v1" | "v2"; rolledBack: boolean },
  rollback: RollbackReceiver,
  say: (line: string) => void,
): Demo {
  const run = Date.now().toString(36);
  const started = Date.now();
  const pendingLabels = new Set<NodeJS.Timeout>();
  let sent = 0;
  const timer = setInterval(() => {
    if (!version.rolledBack && version.current === "v1" && Date.now() - started >= V2_AFTER_MS) {
      version.current = "v2";
      say("demo: version v2 is live: distance in kilometres, a badly retrained model, slower");
    }
    const isV2 = version.current === "v2";
    const batch = Array.from({ length: BATCH_SIZE }, (_, i) => {
      const index = (sent + i) % june.length;
      return { id: `${run}-${sent + i}`, flight: june[index] as Flight };
    });
    sent += BATCH_SIZE;
    const records = batch.map(({ id, flight }) => ({ id, ...toRecord(model, flight, isV2) }));
    client("POST", `/v1/models/${DEMO_MODEL}/predictions`, { records }).catch((error: Error) =>
      say(`demo: logging predictions failed: ${error.message}`),
    );
    const labelTimer = setTimeout(() => {
      pendingLabels.delete(labelTimer);
      const labels = batch.map(({ id, flight }) => ({ id, label: flight.delay }));
      client("POST", `/v1/models/${DEMO_MODEL}/ground-truth`, { labels }).catch((error: Error) =>
        say(`demo: sending ground truth failed: ${error.message}`),
      );
    }, LABEL_DELAY_MS);
    pendingLabels.add(labelTimer);
    if (sent % (BATCH_SIZE * 60) === 0) say(`demo: ${sent.toLocaleString("en-US")} June flights replayed`);
  }, BATCH_INTERVAL_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      for (const labelTimer of pendingLabels) clearTimeout(labelTimer);
      await rollback.close();
    },
  };
}

/** A flight as the model's service logs it; under v2, distance arrives in kilometres. */
function toRecord(model: DelayModel, flight: Flight, isV2: boolean) {
  const distance = isV2 ? Math.round(flight.distance * KM_PER_MILE) : flight.distance;
  return {
    features: {
      hour: flight.hour,
      weekday: flight.weekday,
      distance,
      origin: flight.origin,
      destination: flight.destination,
    },
    prediction: isV2
      ? overestimated(predictDelay(model, flight.hour, distance))
      : predictDelay(model, flight.hour, distance),
    latencyMs: simulatedLatency(isV2),
    version: isV2 ? "v2" : "v1",
  };
}

/** Version v2 of the model was retrained on a bad extract: it predicts twice the delay, plus 10 minutes. */
function overestimated(delay: number): number {
  return Math.round((2 * delay + 10) * 10) / 10;
}

/** Log-normal service latency around 30 ms; version v2 is slower (about 70 ms). */
function simulatedLatency(slow: boolean): number {
  const normal = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  return Math.round((slow ? 70 : 30) * Math.exp(0.35 * normal) * 10) / 10;
}

/** Fisher-Yates with a fixed seed (mulberry32), so every demo replays the same sequence. */
function shuffled<T>(items: readonly T[]): T[] {
  const result = [...items];
  let state = 2001;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}

function everyNth<T>(items: readonly T[], count: number): T[] {
  const step = Math.max(1, Math.floor(items.length / count));
  return items.filter((_, index) => index % step === 0).slice(0, count);
}

type ApiClient = (method: string, path: string, body?: unknown) => Promise<unknown>;

function apiClient(api: { url: string; adminToken: string }): ApiClient {
  return async (method, path, body) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${api.adminToken}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/** The baseline through the upload route, as `driftwatch baseline` sends it: gzip NDJSON to a pre-signed URL. */
async function uploadBaseline(client: ApiClient, records: readonly unknown[]): Promise<void> {
  const upload = (await client("POST", `/v1/models/${DEMO_MODEL}/baseline/uploads`)) as {
    uploadId: string;
    url: string;
    headers: Record<string, string>;
  };
  const body = await gzipAsync(records.map((record) => `${JSON.stringify(record)}\n`).join(""));
  const put = await fetch(upload.url, { method: "PUT", headers: upload.headers, body });
  if (!put.ok) throw new Error(`uploading the baseline failed: ${put.status} ${await put.text()}`);
  await client("PUT", `/v1/models/${DEMO_MODEL}/baseline`, { upload: { id: upload.uploadId } });
}
