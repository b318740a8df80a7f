import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RETENTION_CONTEXT_KEY } from "../../infra/retention.ts";
import { synthDriftWatch } from "./support/synth.ts";

const cdkJson = JSON.parse(readFileSync(new URL("../../cdk.json", import.meta.url), "utf8")) as {
  context: Record<string, unknown>;
};

describe("the app as `cdk synth` builds it", () => {
  it("accepts the context of cdk.json", () => {
    // aws-cdk-lib refuses CDK v1 feature flags outright, so a stale key here breaks `npm run synth`.
    const { data, dataTemplate } = synthDriftWatch(cdkJson.context);
    expect(data.node.tryGetContext(RETENTION_CONTEXT_KEY)).toBe(cdkJson.context[RETENTION_CONTEXT_KEY]);
    expect(dataTemplate.findResources("AWS::DynamoDB::Table")).not.toEqual({});
  });
});
