import type { Caller } from "#shared/auth/require-access";
import { modelAlerts } from "#shared/storage/alert-store";
import { listChecks } from "#shared/storage/check-history";
import { listModels } from "#shared/storage/model-store";
import { mapWithConcurrency } from "#shared/util/concurrency";
import { renderExposition } from "./exposition.ts";
import { type ModelSnapshot, modelGauges } from "./model-gauges.ts";

/** Models read at once, two queries each: a scrape of thousands of models stays within seconds. */
const PARALLEL_MODELS = 16;

/** The admin sees every model; a model token its own alone, without reading the models table. */
async function visibleModelIds(caller: Caller): Promise<string[]> {
  if (caller.principal === "model") return [caller.modelId];
  return (await listModels()).map((model) => model.modelId).sort();
}

async function snapshotOf(modelId: string): Promise<ModelSnapshot> {
  const [{ checks }, alerts] = await Promise.all([listChecks(modelId, { limit: 1 }), modelAlerts(modelId)]);
  return { modelId, latest: checks[0], alerts };
}

/** `GET /metrics`: the gauges of every model the caller may see, in the Prometheus text format. */
export async function scrapeMetrics(caller: Caller): Promise<string> {
  const snapshots = await mapWithConcurrency(await visibleModelIds(caller), PARALLEL_MODELS, snapshotOf);
  return renderExposition(modelGauges(snapshots));
}
