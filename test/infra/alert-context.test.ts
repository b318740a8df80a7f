import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import {
  ALERT_EMAIL_CONTEXT_KEY,
  alertEmailFromContext,
  ROLLBACK_TARGETS_CONTEXT_KEY,
  rollbackTargetsFromContext,
} from "../../infra/alert-context.ts";
import { synthDriftWatch } from "./support/synth.ts";

describe("rollbackTargets context", () => {
  it.each([
    ["a bare wildcard, which would grant every function", { lambdaFunctions: ["*"] }],
    [
      "an alias-qualified function ARN",
      { lambdaFunctions: ["arn:aws:lambda:eu-west-1:123456789012:function:f:live"] },
    ],
    ["a parameter ARN", { ssmParameters: ["arn:aws:ssm:eu-west-1:123456789012:parameter/x"] }],
    ["an endpoint name with a slash", { sagemakerEndpoints: ["a/b"] }],
    ["an unknown kind of target", { ecsServices: ["web"] }],
    ["a list that is not one", { lambdaFunctions: "churn-model" }],
    ["text that is not JSON", "churn-model"],
  ])("rejects %s with an error naming the setting", (_case, value) => {
    expect(() => synthDriftWatch({ [ROLLBACK_TARGETS_CONTEXT_KEY]: value })).toThrow(
      /Context "rollbackTargets" must be \{"lambdaFunctions"/,
    );
  });

  it("names the entry that is wrong", () => {
    expect(() =>
      synthDriftWatch({ [ROLLBACK_TARGETS_CONTEXT_KEY]: { ssmParameters: ["/ok", "not ok"] } }),
    ).toThrow(/ssmParameters\.1: an SSM parameter name, or a prefix of one ending in \*/);
  });

  it("fills the kinds it does not name with none", () => {
    const app = new App({
      context: { [ROLLBACK_TARGETS_CONTEXT_KEY]: { ssmParameters: ["/models/churn"] } },
    });
    expect(rollbackTargetsFromContext(app.node)).toEqual({
      lambdaFunctions: [],
      ssmParameters: ["/models/churn"],
      sagemakerEndpoints: [],
    });
  });

  it("is none when absent", () => {
    expect(rollbackTargetsFromContext(new App().node)).toEqual({
      lambdaFunctions: [],
      ssmParameters: [],
      sagemakerEndpoints: [],
    });
  });
});

describe("alertEmail context", () => {
  it("is the address given, or none", () => {
    const app = new App({ context: { [ALERT_EMAIL_CONTEXT_KEY]: "ops@example.com" } });
    expect(alertEmailFromContext(app.node)).toBe("ops@example.com");
    expect(alertEmailFromContext(new App().node)).toBeUndefined();
  });

  it.each(["", "ops", "ops@", 42])("rejects %j with an error naming the setting", (value) => {
    expect(() => synthDriftWatch({ [ALERT_EMAIL_CONTEXT_KEY]: value })).toThrow(
      /Context "alertEmail" must be an email address/,
    );
  });
});
