import { z } from "zod";
import type { RollbackTarget } from "#shared/schemas/model-config";

/**
 * What the deployment granted the rollback handler, as JSON: the CDK grants IAM on exactly these
 * names, and the handler refuses any other target before it calls AWS, with a message that says
 * which grant is missing rather than an AccessDenied.
 */
export const ROLLBACK_ALLOWED_ENV_VAR = "DRIFTWATCH_ROLLBACK_ALLOWED";

/**
 * Names as the model config gives them (a function's name or ARN, a parameter's full name, an
 * endpoint's name), each matched exactly, or a prefix when it ends in `*` (`/models/churn/*`).
 */
export const rollbackGrantsSchema = z.strictObject({
  lambdaFunctions: z.array(z.string().min(1)).default([]),
  ssmParameters: z.array(z.string().min(1)).default([]),
  sagemakerEndpoints: z.array(z.string().min(1)).default([]),
});

export type RollbackGrants = z.infer<typeof rollbackGrantsSchema>;

/** Whether `name` is one of `patterns`, or starts with one that ends in `*`. */
export function matchesGrant(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) =>
    pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  );
}

/**
 * Why the deployment may not act on `target`, or undefined when it may. `granted` is the
 * environment variable's text: unset grants nothing, and text that is not valid grants JSON refuses
 * every AWS target (a deployment fault, said as such). A webhook needs no grant.
 *
 * @example
 * refusalOf({ type: "ssm-parameter", name: "/models/churn/live", value: "v3" }, '{"ssmParameters": ["/models/*"]}');
 * // undefined
 */
export function refusalOf(target: RollbackTarget, granted: string | undefined): string | undefined {
  if (target.type === "webhook") return undefined;
  const grants = parseGrants(granted);
  if (typeof grants === "string") return grants;
  const { list, name, kind } = grantOf(target);
  const names = grants[list];
  if (matchesGrant(name, names)) return undefined;
  return `the deployment was not granted ${kind} "${name}" (${ROLLBACK_ALLOWED_ENV_VAR} ${list}: ${
    names.length ? names.join(", ") : "none"
  }); add it to the stack's rollback grants and redeploy`;
}

/** Which list of the grants names a target, and what the target is called there. */
function grantOf(target: Exclude<RollbackTarget, { type: "webhook" }>): {
  list: keyof RollbackGrants;
  name: string;
  kind: string;
} {
  switch (target.type) {
    case "lambda-alias":
      return { list: "lambdaFunctions", name: target.functionName, kind: "the Lambda function" };
    case "ssm-parameter":
      return { list: "ssmParameters", name: target.name, kind: "the SSM parameter" };
    case "sagemaker-variants":
      return { list: "sagemakerEndpoints", name: target.endpointName, kind: "the SageMaker endpoint" };
  }
}

function parseGrants(granted: string | undefined): RollbackGrants | string {
  if (granted === undefined || granted.trim() === "") return rollbackGrantsSchema.parse({});
  let json: unknown;
  try {
    json = JSON.parse(granted);
  } catch {
    return `${ROLLBACK_ALLOWED_ENV_VAR} is not JSON; the deployment is misconfigured`;
  }
  const grants = rollbackGrantsSchema.safeParse(json);
  if (grants.success) return grants.data;
  return `${ROLLBACK_ALLOWED_ENV_VAR} is not valid (${z.prettifyError(grants.error).replaceAll("\n", " ")}); the deployment is misconfigured`;
}
