import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { synthDriftWatch } from "./support/synth.ts";

const driftWatch = synthDriftWatch();
// Synthesizing first makes the checks see the final tree, cross-stack exports included.
driftWatch.dataTemplate;

const packs: ReadonlyArray<readonly [string, () => NagPack]> = [
  ["AwsSolutions", () => new AwsSolutionsChecks()],
  ["Serverless", () => new ServerlessChecks()],
];
const stacks = [
  ["DriftWatchData", driftWatch.data],
  ["DriftWatchApi", driftWatch.api],
] as const;

/** Every acknowledgement recorded in the tree: rule id and reason, with the construct it sits on. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ""),
          reason,
        })),
      ),
  );
}

describe("cdk-nag", () => {
  for (const [packName, createPack] of packs) {
    it.each(stacks)(`${packName} reports no unacknowledged error or warning on %s`, (_name, stack) => {
      const report = createPack().validateScope(stack);
      const findings = report.violations.map(
        (violation) =>
          `${violation.severity} ${violation.ruleName} at ${violation.violatingResources
            .map((resource) => resource.constructPath)
            .join(", ")}: ${violation.description}`,
      );
      expect(findings).toEqual([]);
    });
  }

  it("acknowledges only reviewed rules, each with a specific reason", () => {
    const acknowledged = acknowledgements(driftWatch.app);
    expect(new Set(acknowledged.map(({ id }) => id.replace(/\[.*\]$/, "")))).toEqual(
      new Set([
        "AwsSolutions-IAM5",
        "AwsSolutions-L1",
        "Serverless-LambdaLatestVersion",
        "Serverless-LambdaDLQ",
        "AwsSolutions-APIG4",
        "AwsSolutions-S1",
        "AwsSolutions-SMG4",
        "AwsSolutions-SQS3",
        "Serverless-SQSRedrivePolicy",
      ]),
    );
    for (const { path, id, reason } of acknowledged) {
      expect(reason.length, `${id} on ${path}`).toBeGreaterThan(60);
    }
    const wildcardResources = acknowledged
      .filter(({ id }) => id.startsWith("AwsSolutions-IAM5"))
      .map(({ id }) => id.replace(/^AwsSolutions-IAM5\[Resource::(.*)\]$/, "$1"));
    expect(new Set(wildcardResources)).toEqual(new Set(["*", "DriftWatchData-DataBucketArn/logs/*"]));
  });
});
