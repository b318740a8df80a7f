import type { Node } from "constructs";
import { z } from "zod";
import { type RollbackGrants, rollbackGrantsSchema } from "#shared/alerts/rollback/grants";

export const ROLLBACK_TARGETS_CONTEXT_KEY = "rollbackTargets";
export const ALERT_EMAIL_CONTEXT_KEY = "alertEmail";
export const OPERATIONS_EMAIL_CONTEXT_KEY = "operationsEmail";

/**
 * Each entry as the model configs name the target (roll-back-model matches them exactly), or a
 * prefix ending in `*`. A pattern needs a prefix: a bare `*` would hand the function every alias,
 * parameter or endpoint in the account. Lambda functions may be named by ARN too.
 */
const lambdaFunctionName = "[A-Za-z0-9_-]{1,64}";
const lambdaFunction = new RegExp(
  `^(${lambdaFunctionName}|arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:${lambdaFunctionName})\\*?$`,
);
const ssmParameter = /^\/?[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*(\/?\*)?$/;
const sageMakerEndpoint = /^[A-Za-z0-9](-*[A-Za-z0-9]){0,62}(-?\*)?$/;

const entries = (pattern: RegExp, what: string) =>
  z.array(z.string().regex(pattern, `${what}, or a prefix of one ending in *`)).default([]);

const rollbackTargetsSchema = rollbackGrantsSchema.extend({
  lambdaFunctions: entries(lambdaFunction, "a Lambda function name or ARN"),
  ssmParameters: entries(ssmParameter, "an SSM parameter name"),
  sagemakerEndpoints: entries(sageMakerEndpoint, "a SageMaker endpoint name"),
});

/**
 * What a model's rollback target may name, as roll-back-model reads it (DRIFTWATCH_ROLLBACK_ALLOWED):
 * any other target is refused before AWS is called, and IAM grants exactly these.
 */
export type RollbackTargets = RollbackGrants;

/**
 * The `rollbackTargets` context: `{lambdaFunctions, ssmParameters, sagemakerEndpoints}` (cdk.json, or
 * `-c rollbackTargets='{"lambdaFunctions": ["churn-model"]}'`, which arrives as a string). Absent,
 * nothing may be rolled back but through a webhook.
 */
export function rollbackTargetsFromContext(node: Node): RollbackTargets {
  const configured: unknown = node.tryGetContext(ROLLBACK_TARGETS_CONTEXT_KEY);
  const value = typeof configured === "string" ? parseJson(configured) : (configured ?? {});
  const parsed = rollbackTargetsSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "(value)"}: ${issue.message}`,
    );
    throw new Error(
      `Context "${ROLLBACK_TARGETS_CONTEXT_KEY}" must be {"lambdaFunctions": [...], "ssmParameters": [...], "sagemakerEndpoints": [...]}; ${problems.join("; ")} (got ${JSON.stringify(configured)}).`,
    );
  }
  return parsed.data;
}

/**
 * The `alertEmail` context: an address that hears of every model's alerts of warning and above
 * (`-c alertEmail=ops@example.com`). Absent, only the models' own addresses are subscribed.
 */
export function alertEmailFromContext(node: Node): string | undefined {
  return emailFromContext(node, ALERT_EMAIL_CONTEXT_KEY);
}

/**
 * The `operationsEmail` context: an address subscribed to the operations topic, which every
 * CloudWatch alarm notifies (`-c operationsEmail=oncall@example.com`). Absent, nobody is subscribed.
 */
export function operationsEmailFromContext(node: Node): string | undefined {
  return emailFromContext(node, OPERATIONS_EMAIL_CONTEXT_KEY);
}

function emailFromContext(node: Node, key: string): string | undefined {
  const configured: unknown = node.tryGetContext(key);
  if (configured === undefined) return undefined;
  const parsed = z.email().safeParse(configured);
  if (!parsed.success) {
    throw new Error(
      `Context "${key}" must be an email address (for example -c ${key}=ops@example.com), got ${JSON.stringify(configured)}.`,
    );
  }
  return parsed.data;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Left to the schema, which names the setting and the shape it expects.
    return text;
  }
}
