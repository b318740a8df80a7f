import { describe, expect, it } from "vitest";
import { matchesGrant, refusalOf } from "#shared/alerts/rollback/grants";
import type { RollbackTarget } from "#shared/schemas/model-config";

const alias: RollbackTarget = { type: "lambda-alias", functionName: "churn-scorer", alias: "live" };
const parameter: RollbackTarget = { type: "ssm-parameter", name: "/models/churn/live", value: "v3" };
const variants: RollbackTarget = { type: "sagemaker-variants", endpointName: "churn", weights: { blue: 1 } };

describe("matchesGrant", () => {
  it("matches a name exactly", () => {
    expect(matchesGrant("churn-scorer", ["churn-scorer"])).toBe(true);
    expect(matchesGrant("churn-scorer-2", ["churn-scorer"])).toBe(false);
    expect(matchesGrant("churn", ["churn-scorer"])).toBe(false);
  });

  it("matches a prefix when the grant ends in *", () => {
    expect(matchesGrant("/models/churn/live", ["/models/*"])).toBe(true);
    expect(matchesGrant("/modelsx", ["/models/*"])).toBe(false);
    expect(matchesGrant("/other/churn", ["/models/*"])).toBe(false);
  });

  it("matches nothing against no grants", () => {
    expect(matchesGrant("churn-scorer", [])).toBe(false);
  });
});

describe("refusalOf", () => {
  const granted = JSON.stringify({
    lambdaFunctions: ["churn-scorer"],
    ssmParameters: ["/models/*"],
    sagemakerEndpoints: ["churn"],
  });

  it("allows each kind of target the deployment granted", () => {
    expect(refusalOf(alias, granted)).toBeUndefined();
    expect(refusalOf(parameter, granted)).toBeUndefined();
    expect(refusalOf(variants, granted)).toBeUndefined();
  });

  it("refuses a target outside the grants, naming it and what was granted", () => {
    expect(refusalOf({ ...alias, functionName: "fraud-scorer" }, granted)).toBe(
      'the deployment was not granted the Lambda function "fraud-scorer" (DRIFTWATCH_ROLLBACK_ALLOWED lambdaFunctions: churn-scorer); add it to the stack\'s rollback grants and redeploy',
    );
    expect(refusalOf({ ...variants, endpointName: "fraud" }, granted)).toMatch(
      /^the deployment was not granted the SageMaker endpoint "fraud" \(DRIFTWATCH_ROLLBACK_ALLOWED sagemakerEndpoints: churn\)/,
    );
  });

  it("grants nothing when the variable is unset", () => {
    expect(refusalOf(parameter, undefined)).toMatch(/ssmParameters: none\)/);
  });

  it("needs no grant for a webhook", () => {
    expect(
      refusalOf({ type: "webhook", url: "https://hooks.example.com/rollback" }, undefined),
    ).toBeUndefined();
  });

  it("refuses every AWS target when the grants are not valid, calling it a deployment fault", () => {
    expect(refusalOf(alias, "{lambdaFunctions")).toBe(
      "DRIFTWATCH_ROLLBACK_ALLOWED is not JSON; the deployment is misconfigured",
    );
    expect(refusalOf(alias, JSON.stringify({ lambdaFunctions: "churn-scorer" }))).toMatch(
      /^DRIFTWATCH_ROLLBACK_ALLOWED is not valid \(.*lambdaFunctions.*\); the deployment is misconfigured$/,
    );
  });
});
