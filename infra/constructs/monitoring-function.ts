import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, RemovalPolicy, Validations } from "aws-cdk-lib";
import { type Alarm, Stats } from "aws-cdk-lib/aws-cloudwatch";
import { Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Architecture, LoggingFormat, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { LogGroup, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { RETENTION_ENV_VAR } from "#shared/aws/resources";
import { ALARM_PERIOD, operationsAlarm } from "../alarms.ts";
import { METRICS_NAMESPACE, SERVICE_NAME } from "../published-metrics.ts";

/** The repository root: esbuild resolves the `#shared/*` subpath imports from its package.json. */
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

const DEFAULT_MEMORY_MB = 512;
const DEFAULT_TIMEOUT = Duration.seconds(10);

// ESM bundles have no `require`; some CommonJS dependencies still call it for Node built-ins.
const createRequireBanner =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

const RUNTIME_CHOICE =
  "nodejs22.x is the runtime DriftWatch targets and is tested against (shared/LOCAL-AWS.md), an LTS line in Lambda's standard support; moving to a newer runtime is a deliberate, tested upgrade, not something an aws-cdk-lib bump should trigger.";

export interface MonitoringFunctionProps {
  /** File name (without extension) in functions/; the module exports `handler`. */
  readonly handler: string;
  /** Days raw logs and prediction items are kept, passed on as RETENTION_DAYS. */
  readonly retentionDays: number;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default 10 seconds, which suits a synchronous API call */
  readonly timeout?: Duration;
  /** Where the function's alarms (errors, throttles) notify: the operations topic. */
  readonly alarmTopic: ITopic;
}

/**
 * A DriftWatch Lambda with the house defaults: Node 22 on arm64, an ESM bundle with source maps,
 * the AWS SDK bundled at the tested version, active X-Ray tracing, Powertools settings, its own log
 * group and role so that every permission it holds is one granted on purpose, and alarms on its
 * errors and throttles.
 */
export class MonitoringFunction extends Construct {
  readonly lambda: NodejsFunction;
  /** Fire on an invocation that failed (an uncaught error or a timeout), and on one Lambda throttled. */
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringFunctionProps) {
    super(scope, id);

    const logGroup = new LogGroup(this, "LogGroup", {
      retention: RetentionDays.ONE_MONTH,
      // Kept after the stateless stack is deleted, for audit; retention still empties it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // An explicit role instead of the AWS-managed basic execution policy, which may write to any
    // log group in the account.
    const role = new Role(this, "Role", {
      assumedBy: new ServicePrincipal("lambda.amazonaws.com"),
      description: `DriftWatch ${props.handler} function`,
    });
    logGroup.grantWrite(role);

    this.lambda = new NodejsFunction(this, "Function", {
      entry: join(projectRoot, "functions", `${props.handler}.ts`),
      handler: "handler",
      description: `DriftWatch ${props.handler}`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      projectRoot,
      depsLockFilePath: join(projectRoot, "package-lock.json"),
      bundling: {
        format: OutputFormat.ESM,
        target: "node22",
        mainFields: ["module", "main"],
        banner: createRequireBanner,
        // The AWS SDK is bundled too, at the version the lockfile pins and the tests ran with: the
        // runtime's copy moves on its own schedule and lacks helpers such as lib-storage.
        externalModules: [],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
      },
      environment: {
        NODE_OPTIONS: "--enable-source-maps",
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        [RETENTION_ENV_VAR]: String(props.retentionDays),
      },
    });

    this.alarms = [
      operationsAlarm(this, "ErrorsAlarm", props.alarmTopic, {
        name: `${props.handler}-errors`,
        description: `An invocation of ${props.handler} failed (an uncaught error or a timeout): see its log group ${logGroup.logGroupName} and its X-Ray traces.`,
        metric: this.lambda.metricErrors({ statistic: Stats.SUM, period: ALARM_PERIOD }),
      }),
      operationsAlarm(this, "ThrottlesAlarm", props.alarmTopic, {
        name: `${props.handler}-throttles`,
        description: `Lambda throttled ${props.handler}: the account's concurrency is used up, or the function's reserved concurrency is too low.`,
        metric: this.lambda.metricThrottles({ statistic: Stats.SUM, period: ALARM_PERIOD }),
      }),
    ];

    Validations.of(this.lambda).acknowledge(
      { id: "AwsSolutions-L1", reason: RUNTIME_CHOICE },
      { id: "Serverless-LambdaLatestVersion", reason: RUNTIME_CHOICE },
    );
    Validations.of(role).acknowledge({
      id: "AwsSolutions-IAM5[Resource::*]",
      reason:
        "X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions, so active tracing needs Resource '*'.",
    });
  }
}
