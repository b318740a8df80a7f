import { describe, expect, it } from "vitest";
import { ActionRefusedError } from "#shared/alerts/action-failures";
import {
  aliasIntentOf,
  canaryRollback,
  canaryWeightsOf,
  earlierAliasRollback,
  endpointWeightsInput,
  getAliasInput,
  previousVersion,
  previousVersionRollback,
  putParameterInput,
} from "#shared/alerts/rollback/target-commands";

const aliasTarget = { type: "lambda-alias" as const, functionName: "churn-scorer", alias: "live" };

describe("previousVersion", () => {
  it("picks the highest published version below the current one, comparing versions as numbers", () => {
    expect(previousVersion("12", ["$LATEST", "1", "9", "10", "12", "13"])).toBe("10");
  });

  it("skips versions that were deleted, whatever order they are listed in", () => {
    expect(previousVersion("7", ["6", "$LATEST", "2", "4"])).toBe("6");
    expect(previousVersion("7", ["2", "4"])).toBe("4");
  });

  it("finds none below the earliest version", () => {
    expect(previousVersion("1", ["$LATEST", "1", "2"])).toBeUndefined();
  });

  it("finds none below $LATEST, which is no published version", () => {
    expect(previousVersion("$LATEST", ["$LATEST", "1", "2"])).toBeUndefined();
  });
});

describe("alias rollback", () => {
  it("reads the alias of the target", () => {
    expect(getAliasInput(aliasTarget)).toEqual({ FunctionName: "churn-scorer", Name: "live" });
  });

  it("sends an alias with a canary back to its main version alone, guarded by the revision it read", () => {
    const alias = {
      FunctionVersion: "4",
      RoutingConfig: { AdditionalVersionWeights: { "5": 0.1 } },
      RevisionId: "rev-1",
    };
    expect(canaryWeightsOf(alias)).toEqual({ "5": 0.1 });
    expect(canaryRollback(aliasTarget, alias)).toEqual({
      update: {
        FunctionName: "churn-scorer",
        Name: "live",
        FunctionVersion: "4",
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: "rev-1",
      },
      before: { version: "4", additionalVersionWeights: { "5": 0.1 } },
      after: { version: "4" },
    });
  });

  it("treats empty routing weights as no canary", () => {
    expect(canaryWeightsOf({ FunctionVersion: "4", RoutingConfig: { AdditionalVersionWeights: {} } })).toBe(
      undefined,
    );
    expect(canaryWeightsOf({ FunctionVersion: "4" })).toBeUndefined();
  });

  it("moves an alias without a canary to the previous published version", () => {
    const alias = { FunctionVersion: "10", RevisionId: "rev-2" };
    expect(previousVersionRollback(aliasTarget, alias, ["$LATEST", "8", "9", "10", "11"])).toEqual({
      update: { FunctionName: "churn-scorer", Name: "live", FunctionVersion: "9", RevisionId: "rev-2" },
      before: { version: "10" },
      after: { version: "9" },
    });
  });

  it("refuses an alias at its function's first version: there is nothing to go back to", () => {
    expect(() => previousVersionRollback(aliasTarget, { FunctionVersion: "1" }, ["$LATEST", "1"])).toThrow(
      new ActionRefusedError(
        "alias live of churn-scorer points at version 1, and no published version precedes it",
      ),
    );
  });

  it("refuses an alias at $LATEST", () => {
    expect(() =>
      previousVersionRollback(aliasTarget, { FunctionVersion: "$LATEST" }, ["$LATEST", "3"]),
    ).toThrow(/points at \$LATEST, not a published version/);
  });
});

describe("putParameterInput", () => {
  it("overwrites the parameter with the configured value, leaving its type as it is", () => {
    expect(putParameterInput({ type: "ssm-parameter", name: "/models/churn/live", value: "v3" })).toEqual({
      Name: "/models/churn/live",
      Value: "v3",
      Overwrite: true,
    });
  });
});

describe("endpointWeightsInput", () => {
  it("asks for each configured variant's weight", () => {
    expect(
      endpointWeightsInput({
        type: "sagemaker-variants",
        endpointName: "churn",
        weights: { blue: 1, green: 0 },
      }),
    ).toEqual({
      EndpointName: "churn",
      DesiredWeightsAndCapacities: [
        { VariantName: "blue", DesiredWeight: 1 },
        { VariantName: "green", DesiredWeight: 0 },
      ],
    });
  });

  it("refuses a target that names no variant", () => {
    expect(() =>
      endpointWeightsInput({ type: "sagemaker-variants", endpointName: "churn", weights: {} }),
    ).toThrow(ActionRefusedError);
  });
});

describe("an earlier attempt's alias update", () => {
  const canary = {
    FunctionVersion: "4",
    RoutingConfig: { AdditionalVersionWeights: { "5": 0.2 } },
    RevisionId: "rev-a",
  };
  const intent = aliasIntentOf(canaryRollback(aliasTarget, canary));

  it("records the revision it read and the routing before and after", () => {
    expect(intent).toEqual({
      revisionId: "rev-a",
      before: { version: "4", additionalVersionWeights: { "5": 0.2 } },
      after: { version: "4" },
    });
  });

  it("was not made while the alias keeps the revision it read", () => {
    expect(earlierAliasRollback(aliasTarget, canary, intent)).toBeUndefined();
  });

  it("was made when the alias routes as it set out to leave it", () => {
    const rolledBack = { FunctionVersion: "4", RevisionId: "rev-b" };
    expect(earlierAliasRollback(aliasTarget, rolledBack, intent)).toEqual({
      before: intent.before,
      after: { version: "4" },
    });
  });

  it("refuses an alias someone else changed since: still a canary, or another version", () => {
    const recanaried = {
      FunctionVersion: "4",
      RoutingConfig: { AdditionalVersionWeights: { "6": 0.1 } },
      RevisionId: "rev-c",
    };
    expect(() => earlierAliasRollback(aliasTarget, recanaried, intent)).toThrow(ActionRefusedError);
    expect(() =>
      earlierAliasRollback(aliasTarget, { FunctionVersion: "6", RevisionId: "rev-d" }, intent),
    ).toThrow(
      "alias live of churn-scorer changed since an earlier attempt of this rollback read it (revision rev-a, now rev-d, at version 6): not rolling it back again",
    );
  });
});
