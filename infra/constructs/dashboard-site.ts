import { existsSync } from "node:fs";
import { join } from "node:path";
import { Aws, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from "aws-cdk-lib/aws-s3";
import { Asset } from "aws-cdk-lib/aws-s3-assets";
import { BucketDeployment, CacheControl, Source } from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import { wildcardResourceFinding } from "../nag-findings.ts";

/** The file the dashboard reads at start to learn where the API is. */
export const DASHBOARD_CONFIG_FILE = "config.json";

/** What config.json tells the dashboard. */
export interface DashboardConfig {
  /** The API's base URL, without a trailing slash. */
  readonly apiUrl: string;
}

/** Browsers keep to HTTPS for two years once they have seen the site. */
const HSTS_MAX_AGE = Duration.days(730);

export interface DashboardSiteProps {
  /** The built dashboard: a folder with index.html (and the app.js and app.css it loads). */
  readonly assetsPath: string;
  /**
   * Receives the site bucket's S3 server access logs under `prefix`, as it does the data bucket's;
   * its policy must let this account's buckets deliver there.
   */
  readonly accessLogs: { readonly bucketName: string; readonly prefix: string };
  /** Receives the distribution's CloudFront access logs (a bucket with ACLs enabled). */
  readonly distributionLogsBucket: IBucket;
}

/**
 * The dashboard, a static single-page app, served by CloudFront from a private bucket it alone may
 * read (origin access control): HTTPS only, with security headers (a content security policy among
 * them), access logs of both the bucket and the distribution. {@link publish} uploads the app with
 * its config.json.
 */
export class DashboardSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution domain>`, the origin the dashboard calls the API from (CORS). */
  readonly origin: string;
  /** The dashboard's address, with its trailing slash. */
  readonly url: string;
  private readonly assetsPath: string;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    if (!existsSync(join(props.assetsPath, "index.html"))) {
      throw new Error(
        `The dashboard is not built: ${join(props.assetsPath, "index.html")} does not exist. Run \`npm run build\`, which builds it into dashboard/dist, before synthesizing or deploying.`,
      );
    }
    this.assetsPath = props.assetsPath;

    const accessLogsBucket = Bucket.fromBucketName(this, "AccessLogsBucket", props.accessLogs.bucketName);
    // Its files are rebuilt and uploaded on every deploy, so the bucket goes with the stack; the
    // deployment empties it first (retainOnDelete: false).
    this.bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: props.accessLogs.prefix,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.bucket).acknowledge({
      id: "@aws-cdk/aws-s3:accessLogsPolicyNotAdded",
      reason:
        "The access log bucket is the data stack's, whose own policy lets this account's buckets deliver server access logs under the prefix given here (DataStack, DASHBOARD_ACCESS_LOGS_PREFIX).",
    });

    this.distribution = new Distribution(this, "Distribution", {
      comment: "DriftWatch dashboard",
      defaultRootObject: "index.html",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        // Nothing is served over plain HTTP: a request for http:// gets a redirect and no content.
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders(),
        compress: true,
      },
      // A dashboard for a few operators: the cheapest edge locations do.
      priceClass: PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      logBucket: props.distributionLogsBucket,
      logFilePrefix: "dashboard/",
    });
    this.origin = `https://${this.distribution.distributionDomainName}`;
    this.url = `${this.origin}/`;

    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason:
          "The dashboard is for the operators of this deployment, wherever they are; it serves static files only, and every piece of data it shows comes from the API, which needs a bearer token.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason:
          "The distribution serves only the dashboard's static files (GET and HEAD, from cache): there is no input for a web ACL to inspect. The data behind it is in the API, which needs a bearer token and is throttled.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "The dashboard is served on the distribution's own *.cloudfront.net name with CloudFront's default certificate, for which CloudFront fixes the security policy; a TLSv1.2_2021 minimum needs a custom domain with an ACM certificate, which DriftWatch does not assume.",
      },
    );
  }

  /**
   * Uploads the built dashboard and a config.json pointing it at the API. Every object is served
   * with `Cache-Control: no-cache`: the file names carry no content hash, so browsers and CloudFront
   * check for a new version (a cheap 304) instead of keeping a stale one until it expires.
   */
  publish(config: DashboardConfig): BucketDeployment {
    // An explicit role and log group instead of the ones CDK would create: the AWS-managed basic
    // execution policy may write to any log group, and CDK's log group would be kept forever.
    const role = new Role(this, "DeploymentRole", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: "DriftWatch dashboard deployment (CDK BucketDeployment)",
    });
    const logGroup = new LogGroup(this, "DeploymentLogs", {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    const assets = new Asset(this, "Assets", { path: this.assetsPath });
    const deployment = new BucketDeployment(this, "Deployment", {
      sources: [
        Source.bucket(assets.bucket, assets.s3ObjectKey),
        Source.jsonData(DASHBOARD_CONFIG_FILE, config),
      ],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.noCache()],
      prune: true,
      retainOnDelete: false,
      role,
      logGroup,
    });
    this.acknowledgeDeploymentFindings(role, assets);
    return deployment;
  }

  /**
   * What cdk-nag finds in CDK's deployment function and the grants CDK gives it. The function is a
   * stack-level singleton, outside this construct: the acknowledgements go on it by its id.
   */
  private acknowledgeDeploymentFindings(role: Role, assets: Asset): void {
    const cdkGrants =
      "CDK's BucketDeployment grants its function these action groups (grantRead of the source, grantReadWrite of the destination): an aws s3 sync that reads the zipped build, lists, uploads and (prune) deletes, on the CDK asset bucket and the site bucket only.";
    Validations.of(role).acknowledge(
      ...["s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*"].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: cdkGrants,
      })),
      {
        id: wildcardResourceFinding(this, this.bucket.arnForObjects("*")),
        reason:
          "The deployment keeps the whole site bucket in step with the build (uploads, and deletes what the build no longer has), and the bucket holds nothing but the dashboard.",
      },
      {
        id: wildcardResourceFinding(this, assets.bucket.arnForObjects("*")),
        reason:
          "CDK's bootstrap bucket of file assets, where the zipped build is uploaded under a key named by its content hash: CDK's grantRead of a bucket source covers its objects.",
      },
    );

    const handler = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    if (!handler) throw new Error("CDK's BucketDeployment function was not found in the stack.");
    const cdkRuntime =
      "CDK's BucketDeployment function runs the Python runtime the installed aws-cdk-lib builds and tests it with (an aws s3 sync behind a CloudFormation custom resource); it moves to a newer runtime with an aws-cdk-lib upgrade.";
    Validations.of(handler).acknowledge(
      { id: "AwsSolutions-L1", reason: cdkRuntime },
      { id: "Serverless-LambdaLatestVersion", reason: cdkRuntime },
      {
        id: "Serverless-LambdaDLQ",
        reason:
          "Invoked by CloudFormation as a custom resource during a deploy only: a failed upload fails and rolls back the deployment, which reports the error; there is no later retry for a dead-letter queue to feed.",
      },
      {
        id: "Serverless-LambdaTracing",
        reason:
          "CDK's deployment function runs only during a deploy that changes the dashboard, as a CloudFormation custom resource: its log group records each run, and a trace of one aws s3 sync would add nothing.",
      },
    );
  }

  private securityHeaders(): ResponseHeadersPolicy {
    const apiHosts = `https://*.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const contentSecurityPolicy = [
      "default-src 'none'",
      "script-src 'self'",
      // Observable Plot writes its charts' styles inline, into each SVG.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      // config.json, and the API. Naming the API's own host would make the API (whose CORS names this
      // distribution) and the distribution refer to each other: CloudFormation refuses such a cycle.
      `connect-src 'self' ${apiHosts}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join("; ");
    return new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "DriftWatch dashboard: content security policy, HSTS, no framing, sniffing or referrer",
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: HSTS_MAX_AGE,
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        // Turns off the legacy XSS auditor of old browsers, which could itself be abused.
        xssProtection: { protection: false, override: true },
      },
    });
  }
}
