import { type Stack, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { describe, expect, it } from "vitest";
import { CHECK_STEP_HANDLERS } from "../../infra/constructs/check-pipeline.ts";
import { dataBucket } from "../../shared/aws/resources.ts";
import { logicalIdOf, type SynthesizedDriftWatch, synthDriftWatch } from "./support/synth.ts";

const driftWatch = synthDriftWatch();
// Synthesizing first makes the checks see the final tree, cross-stack exports included.
driftWatch.dataTemplate;

const packs: ReadonlyArray<readonly [string, () => NagPack]> = [
  ["AwsSolutions", () => new AwsSolutionsChecks()],
  ["Serverless", () => new ServerlessChecks()],
];
const stacksOf = (app: SynthesizedDriftWatch) =>
  [
    ["DriftWatchData", app.data],
    ["DriftWatchApi", app.api],
    ["DriftWatchChecks", app.checks],
    ["DriftWatchAlerts", app.alerts],
    ["DriftWatchOperations", app.operations],
  ] as const;

/**
 * The app as `cdk synth` builds it from a configured profile: with an account and region, ARNs
 * carry them literally instead of as pseudo parameters, which changes cdk-nag's finding ids.
 */
function synthWithEnvironment(context: Record<string, unknown> = {}): SynthesizedDriftWatch {
  const saved = {
    CDK_DEFAULT_ACCOUNT: process.env.CDK_DEFAULT_ACCOUNT,
    CDK_DEFAULT_REGION: process.env.CDK_DEFAULT_REGION,
  };
  process.env.CDK_DEFAULT_ACCOUNT = "123456789012";
  process.env.CDK_DEFAULT_REGION = "eu-west-1";
  try {
    const app = synthDriftWatch(context);
    app.dataTemplate;
    return app;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

function findingsOf(pack: NagPack, stack: Stack): string[] {
  return pack
    .validateScope(stack)
    .violations.map(
      (violation) =>
        `${violation.severity} ${violation.ruleName} at ${violation.violatingResources
          .map((resource) => resource.constructPath)
          .join(", ")}: ${violation.description}`,
    );
}

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

/**
 * Every optional alerting resource: the stack-level and operations email subscriptions and a rollback
 * target of each kind.
 */
const alertingContext = {
  alertEmail: "ops@example.com",
  operationsEmail: "oncall@example.com",
  rollbackTargets: {
    lambdaFunctions: ["churn-model", "fraud-model"],
    ssmParameters: ["/models/churn/active-version"],
    sagemakerEndpoints: ["churn-endpoint"],
  },
};

const wildcardResourcesOf = (root: IConstruct) =>
  acknowledgements(root)
    .filter(({ id }) => id.startsWith("AwsSolutions-IAM5"))
    .map(({ id }) => id.replace(/^AwsSolutions-IAM5\[Resource::(.*)\]$/, "$1"));

describe("cdk-nag", () => {
  for (const [packName, createPack] of packs) {
    it.each(stacksOf(driftWatch))(
      `${packName} reports no unacknowledged error or warning on %s`,
      (_name, stack) => {
        expect(findingsOf(createPack(), stack)).toEqual([]);
      },
    );
  }

  it("reports none either when the stacks have an account and region", () => {
    const deployed = synthWithEnvironment();
    expect(deployed.checks.region).toBe("eu-west-1");
    for (const [, createPack] of packs) {
      for (const [, stack] of stacksOf(deployed)) expect(findingsOf(createPack(), stack)).toEqual([]);
    }
  });

  it("reports none either with an alert email and rollback targets of every kind, with or without an environment", () => {
    const configured = synthDriftWatch(alertingContext);
    configured.dataTemplate;
    for (const app of [configured, synthWithEnvironment(alertingContext)]) {
      expect(app.alerts.fanOut.alertEmailSubscription).toBeDefined();
      expect(app.data.operationsEmailSubscription).toBeDefined();
      for (const [, createPack] of packs) {
        for (const [, stack] of stacksOf(app)) expect(findingsOf(createPack(), stack)).toEqual([]);
      }
    }
  });

  it("acknowledges the rollback targets' wildcard only for the aliases of the functions the context allows", () => {
    const configured = synthDriftWatch(alertingContext);
    configured.dataTemplate;
    const added = new Set(wildcardResourcesOf(configured.app));
    for (const resource of wildcardResourcesOf(driftWatch.app)) added.delete(resource);
    expect(added).toEqual(
      new Set(
        alertingContext.rollbackTargets.lambdaFunctions.map(
          (name) => `arn:<AWS::Partition>:lambda:<AWS::Region>:<AWS::AccountId>:function:${name}:*`,
        ),
      ),
    );
  });

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
        "Serverless-EventBusDLQ",
        "Serverless-LambdaEventSourceMappingDestination",
        // The dashboard's CloudFront distribution and CDK's function that uploads it.
        "AwsSolutions-CFR1",
        "AwsSolutions-CFR2",
        "AwsSolutions-CFR4",
        "Serverless-LambdaTracing",
        "@aws-cdk/aws-s3:accessLogsPolicyNotAdded",
      ]),
    );
    for (const { path, id, reason } of acknowledged) {
      expect(reason.length, `${id} on ${path}`).toBeGreaterThan(60);
    }
    const wildcardResources = wildcardResourcesOf(driftWatch.app);
    const { checks } = driftWatch;
    const { pipeline } = checks;
    const stepFunctionArn = (handler: string) => {
      const fn = pipeline.functions.get(handler);
      if (!fn) throw new Error(`no function for ${handler}`);
      return `<${logicalIdOf(checks, fn.lambda)}.Arn>:*`;
    };
    const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${JSON.stringify(
      {
        "Fn::Select": [6, { "Fn::Split": [":", { Ref: logicalIdOf(checks, pipeline.stateMachine) }] }],
      },
    )}`;
    const prefixes = [
      dataBucket.logsPrefix,
      dataBucket.labelsPrefix,
      dataBucket.uploadsPrefix,
      dataBucket.baselinesPrefix,
      dataBucket.reportsPrefix,
      dataBucket.partialsPrefix,
    ];
    expect(new Set(wildcardResources)).toEqual(
      new Set([
        "*",
        ...prefixes.map((prefix) => `DriftWatchData-DataBucketArn/${prefix}*`),
        ...Object.values(CHECK_STEP_HANDLERS).map(stepFunctionArn),
        `${executions}:*`,
        `${executions}/*:*`,
        `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${pipeline.scheduleGroup.scheduleGroupName}/driftwatch-*`,
        // CDK's dashboard deployment: the site bucket's objects and the CDK asset bucket's.
        `<${logicalIdOf(driftWatch.api, driftWatch.api.dashboard.bucket)}.Arn>/*`,
        "arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*",
        ...["s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*"].map(
          (action) => `AwsSolutions-IAM5[Action::${action}]`,
        ),
      ]),
    );
  });
});
