import { requireCaller } from "#shared/auth/require-access";
import { apiHandler } from "#shared/http/api-handler";
import { EXPOSITION_CONTENT_TYPE } from "#shared/prometheus/exposition";
import { scrapeMetrics } from "#shared/prometheus/scrape";

/** `GET /metrics`: a Prometheus scrape target; a model token sees its own model's series only. */
export const handler = apiHandler(async (event) => ({
  statusCode: 200,
  headers: { "content-type": EXPOSITION_CONTENT_TYPE },
  body: await scrapeMetrics(requireCaller(event)),
}));
