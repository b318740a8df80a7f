import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

/** One logger and one metrics sink per process; Powertools reads service and namespace from the env. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "driftwatch" });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "DriftWatch",
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "driftwatch",
});

/** The dimension every per-model metric carries, the model's id, so one query spans them all. */
export const MODEL_DIMENSION = "ModelId";
