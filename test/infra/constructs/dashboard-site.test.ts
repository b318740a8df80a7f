import { join } from "node:path";
import type { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { DASHBOARD_CONFIG_FILE } from "../../../infra/constructs/dashboard-site.ts";
import { DASHBOARD_ACCESS_LOGS_PREFIX } from "../../../infra/data-stack.ts";
import { privateEncryptedBucket } from "../../support/s3-buckets.ts";
import {
  logicalIdOf,
  policyStatementsOf,
  resourceOf,
  resourcesOfType,
  synthDriftWatch,
  theResource,
} from "../support/synth.ts";

const driftWatch = synthDriftWatch();
const { api, apiTemplate, data, dataTemplate } = driftWatch;
const { dashboard } = api;
const bucketId = logicalIdOf(api, dashboard.bucket);
const distributionId = logicalIdOf(api, dashboard.distribution);
const distributionConfig = resourceOf(apiTemplate, distributionId).Properties.DistributionConfig as Record<
  string,
  unknown
>;
const defaultBehavior = distributionConfig.DefaultCacheBehavior as Record<string, unknown>;
const distributionDomain = { "Fn::GetAtt": [distributionId, "DomainName"] };

const importOf = (logicalId: string) => ({ "Fn::ImportValue": expect.stringContaining(logicalId) });

const bucketPolicyStatements = (template: Template, bucketLogicalId: string) =>
  policyStatementsOf(
    theResource(
      template,
      "AWS::S3::BucketPolicy",
      (policy) => JSON.stringify(policy.Properties.Bucket) === JSON.stringify({ Ref: bucketLogicalId }),
    ),
  );

describe("dashboard site", () => {
  it("keeps the files in a private, encrypted bucket that logs its access like the data bucket", () => {
    const bucket = resourceOf(apiTemplate, bucketId);
    expect(bucket.Properties).toMatchObject({
      ...privateEncryptedBucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
      LoggingConfiguration: {
        DestinationBucketName: importOf(logicalIdOf(data, data.accessLogsBucket)),
        LogFilePrefix: DASHBOARD_ACCESS_LOGS_PREFIX,
      },
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
  });

  it("lets this account's buckets alone deliver access logs under the site bucket's prefix", () => {
    const statements = bucketPolicyStatements(dataTemplate, logicalIdOf(data, data.accessLogsBucket));
    const deliveries = statements.filter((statement) =>
      JSON.stringify(statement.Resource).includes(`/${DASHBOARD_ACCESS_LOGS_PREFIX}*`),
    );
    expect(deliveries).toEqual([
      expect.objectContaining({
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Condition: { StringEquals: { "aws:SourceAccount": { Ref: "AWS::AccountId" } } },
      }),
    ]);
  });

  it("answers only over TLS, and lets only this distribution read it, through origin access control", () => {
    const statements = bucketPolicyStatements(apiTemplate, bucketId);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    const allows = statements.filter((statement) => statement.Effect === "Allow");
    expect(allows).toEqual([
      expect.objectContaining({
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "s3:GetObject",
        Condition: {
          StringEquals: {
            "AWS:SourceArn": { "Fn::Join": ["", expect.arrayContaining([{ Ref: distributionId }])] },
          },
        },
      }),
    ]);
    const [origin] = distributionConfig.Origins as Record<string, unknown>[];
    expect(origin?.OriginAccessControlId).toEqual({
      "Fn::GetAtt": [expect.stringContaining("OriginAccessControl"), "Id"],
    });
    expect(Object.values(resourcesOfType(apiTemplate, "AWS::CloudFront::OriginAccessControl"))).toEqual([
      expect.objectContaining({
        Properties: {
          OriginAccessControlConfig: expect.objectContaining({
            OriginAccessControlOriginType: "s3",
            SigningBehavior: "always",
            SigningProtocol: "sigv4",
          }),
        },
      }),
    ]);
  });

  it("serves index.html at the root, GET and HEAD only, redirecting plain HTTP to HTTPS", () => {
    expect(distributionConfig.DefaultRootObject).toBe("index.html");
    expect(defaultBehavior).toMatchObject({
      ViewerProtocolPolicy: "redirect-to-https",
      AllowedMethods: ["GET", "HEAD"],
    });
  });

  it("sends security headers: a strict content security policy, HSTS, no framing, sniffing or referrer", () => {
    const policyId = (defaultBehavior.ResponseHeadersPolicyId as { Ref: string }).Ref;
    const headers = (
      resourceOf(apiTemplate, policyId).Properties.ResponseHeadersPolicyConfig as {
        SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      }
    ).SecurityHeadersConfig;
    expect(headers).toMatchObject({
      StrictTransportSecurity: {
        AccessControlMaxAgeSec: 63_072_000,
        IncludeSubdomains: true,
        Override: true,
      },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: "DENY", Override: true },
      ReferrerPolicy: { ReferrerPolicy: "no-referrer", Override: true },
    });
    const csp = JSON.stringify(headers.ContentSecurityPolicy?.ContentSecurityPolicy);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "connect-src 'self' https://*.execute-api.",
      "frame-ancestors 'none'",
    ]) {
      expect(csp).toContain(directive);
    }
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it("logs every request to the data stack's dashboard log bucket", () => {
    expect(distributionConfig.Logging).toEqual({
      Bucket: importOf(logicalIdOf(data, data.dashboardLogsBucket)),
      Prefix: "dashboard/",
    });
    // CloudFront's standard logs are written with an ACL: that bucket alone keeps ACLs enabled.
    const logBucket = resourceOf(dataTemplate, logicalIdOf(data, data.dashboardLogsBucket));
    expect(logBucket.Properties).toMatchObject({
      OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOf(data, data.accessLogsBucket) } },
    });
    expect(logBucket.DeletionPolicy).toBe("Retain");
  });

  it(`deploys the build with a ${DASHBOARD_CONFIG_FILE} holding the API's URL, every file served uncached`, () => {
    const [deployment] = Object.values(resourcesOfType(apiTemplate, "Custom::CDKBucketDeployment"));
    expect(deployment?.Properties).toMatchObject({
      DestinationBucketName: { Ref: bucketId },
      Prune: true,
      RetainOnDelete: false,
      SystemMetadata: { "cache-control": "no-cache" },
    });
    const markers = deployment?.Properties.SourceMarkers as Record<string, unknown>[];
    expect(markers).toHaveLength(2);
    expect(Object.values(markers[1] ?? {})).toEqual([
      { "Fn::GetAtt": [logicalIdOf(api, api.api), "ApiEndpoint"] },
    ]);
  });

  it("runs CDK's deployment function with a role and a log group of its own", () => {
    const handler = theResource(
      apiTemplate,
      "AWS::Lambda::Function",
      (fn) => fn.Properties.Runtime !== "nodejs22.x",
    );
    const roleId = (handler.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    expect(resourceOf(apiTemplate, roleId).Properties.ManagedPolicyArns).toBeUndefined();
    const logGroupId = (handler.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    expect(resourceOf(apiTemplate, logGroupId).Properties.RetentionInDays).toBe(30);
  });

  it("outputs DashboardUrl, the distribution's https address", () => {
    apiTemplate.hasOutput("DashboardUrl", {
      Value: { "Fn::Join": ["", ["https://", distributionDomain, "/"]] },
    });
  });

  it("is the one origin the API's CORS lets call it, with a bearer token and JSON bodies", () => {
    const httpApi = resourceOf(apiTemplate, logicalIdOf(api, api.api));
    expect(httpApi.Properties.CorsConfiguration).toEqual({
      AllowOrigins: [{ "Fn::Join": ["", ["https://", distributionDomain]] }],
      AllowHeaders: ["Authorization", "Content-Type"],
      AllowMethods: ["GET", "POST", "PUT", "DELETE"],
      MaxAge: 3600,
    });
  });

  it("refuses to synthesize without a built dashboard, saying how to build it", () => {
    const missing = join(import.meta.dirname, "no-such-build");
    expect(() => synthDriftWatch({}, missing)).toThrow(/index\.html does not exist\. Run `npm run build`/);
  });
});
