import { type ApiAnswer, describeAnswer } from "#shared/http/with-retries";
import { modelIdSchema } from "#shared/schemas/model-id";
import { UsageError } from "./usage-error.ts";

/** The API could not do its part: unreachable, or still failing after the retries. */
export const EXIT_API_FAILED = 1;

/** The API refused the call itself (401, 403, 404): the token or the model is wrong, so retrying cannot help. */
export class ApiRefusedError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = "ApiRefusedError";
  }
}

/** Why a 403 was given, and what to check, for {@link refusal}. */
export interface Forbidden {
  reason: string;
  check: string;
}

/**
 * The error a 401, 403 or 404 stands for, naming the option to check; undefined for any other answer.
 *
 * @example
 * const refused = refusal(answer, { reason: "the token may not send predictions to this model", check: "--token and --model" });
 * if (refused) throw refused;
 */
export function refusal(answer: ApiAnswer, forbidden: Forbidden): ApiRefusedError | undefined {
  const described = describeAnswer(answer);
  switch (answer.status) {
    case 401:
      return new ApiRefusedError(`the API refused the token (${described}); check --token`);
    case 403:
      return new ApiRefusedError(`${forbidden.reason} (${described}); check ${forbidden.check}`);
    case 404:
      return new ApiRefusedError(
        `the API has no such model, or --api is not a DriftWatch API (${described}); check --model and --api`,
      );
    default:
      return undefined;
  }
}

/**
 * `…/v1/models/{modelId}/{path}` under the API's base URL (which may carry a stage path).
 *
 * @throws UsageError for a model id the API would refuse, or an `--api` that is not an http(s) URL
 * @example
 * modelUrl("https://abc.execute-api.eu-west-1.amazonaws.com/prod", "churn", "predictions");
 * // https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/models/churn/predictions
 */
export function modelUrl(api: string, model: string, path: string): URL {
  const modelId = modelIdSchema.safeParse(model);
  if (!modelId.success) {
    throw new UsageError(`--model: ${modelId.error.issues[0]?.message ?? "invalid model id"}`);
  }
  let base: URL;
  try {
    base = new URL(api.endsWith("/") ? api : `${api}/`);
  } catch {
    throw new UsageError(`--api: not a URL: "${api}"`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new UsageError(`--api: not an http or https URL: "${api}"`);
  }
  return new URL(`v1/models/${encodeURIComponent(modelId.data)}/${path}`, base);
}
