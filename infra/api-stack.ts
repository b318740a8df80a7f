import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  LogGroupLogDestination,
  type ThrottleSettings,
} from "aws-cdk-lib/aws-apigatewayv2";
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import { type Alarm, Stats } from "aws-cdk-lib/aws-cloudwatch";
import { FilterPattern, LogGroup, MetricFilter, RetentionDays } from "aws-cdk-lib/aws-logs";
import type { Construct } from "constructs";
import { authorizerHandler, routeHandlers, routes } from "#shared/http/routes";
import { ALARM_PERIOD, operationsAlarm } from "./alarms.ts";
import { BASELINE_REGISTRATION_HANDLER, BaselineRegistration } from "./constructs/baseline-registration.ts";
import { DashboardSite } from "./constructs/dashboard-site.ts";
import type { MonitoringFunction } from "./constructs/monitoring-function.ts";
import { DASHBOARD_ACCESS_LOGS_PREFIX, type DataStack } from "./data-stack.ts";
import { createHandlerFunction, type HandlerFunctionProps, pascalCase } from "./handler-function.ts";
import { INGEST_SERVER_ERRORS_METRIC, METRICS_NAMESPACE } from "./published-metrics.ts";

/** Steady-state and burst requests per second for the whole stage, well under the account quota. */
const DEFAULT_THROTTLE: ThrottleSettings = { rateLimit: 100, burstLimit: 200 };
/** How long API Gateway reuses the authorizer's answer for one Authorization header. */
const AUTHORIZER_CACHE_TTL = Duration.seconds(60);
/** How long a browser reuses the answer to a CORS preflight. */
const CORS_MAX_AGE = Duration.hours(1);
/** The handler whose 5xx answers page someone: a client's predictions were not stored. */
export const INGEST_HANDLER = "ingest-predictions";

/**
 * Routes that are deliberately open, with why. A new route without the authorizer that is not
 * listed here fails the cdk-nag check (AwsSolutions-APIG4) until someone decides it is public.
 */
const PUBLIC_ROUTES = new Map([
  [
    "GET /health",
    'The health check is open to anyone by contract (CONTRACT.md section 2) and returns only {status: "ok"}.',
  ],
]);

/** One JSON object per request, with the principal the authorizer resolved. */
const ACCESS_LOG_FIELDS = {
  requestId: "$context.requestId",
  requestTime: "$context.requestTime",
  sourceIp: "$context.identity.sourceIp",
  httpMethod: "$context.httpMethod",
  routeKey: "$context.routeKey",
  path: "$context.path",
  status: "$context.status",
  responseLength: "$context.responseLength",
  responseLatencyMs: "$context.responseLatency",
  integrationError: "$context.integrationErrorMessage",
  authorizerError: "$context.authorizer.error",
  principal: "$context.authorizer.principal",
  modelId: "$context.authorizer.modelId",
};

export interface ApiStackProps extends StackProps {
  readonly data: DataStack;
  readonly retentionDays: number;
  /** The built dashboard (a folder with index.html), served by {@link DashboardSite}. */
  readonly dashboardAssetsPath: string;
}

/**
 * The stateless half: one function per handler in shared/http/routes.ts, the HTTP API in front, and
 * the dashboard that calls it (its origin is the only one the API's CORS allows, and it learns the
 * API's URL from its config.json: one stack, so neither needs the other's exports).
 */
export class ApiStack extends Stack {
  readonly api: HttpApi;
  readonly dashboard: DashboardSite;
  /** Fires on an ingest request answered with a 5xx. */
  readonly ingestServerErrorsAlarm: Alarm;
  /** The functions of the routes, the authorizer and the registration worker, by handler. */
  readonly functions: ReadonlyMap<string, MonitoringFunction>;
  readonly baselineRegistration: BaselineRegistration;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.dashboard = new DashboardSite(this, "Dashboard", {
      assetsPath: props.dashboardAssetsPath,
      accessLogs: {
        bucketName: props.data.accessLogsBucket.bucketName,
        prefix: DASHBOARD_ACCESS_LOGS_PREFIX,
      },
      distributionLogsBucket: props.data.dashboardLogsBucket,
    });
    this.api = new HttpApi(this, "HttpApi", {
      apiName: "driftwatch",
      description: "DriftWatch model monitoring API",
      createDefaultStage: false,
      // The dashboard sends its bearer token from the browser; no cookies, so no credentials mode.
      corsPreflight: {
        allowOrigins: [this.dashboard.origin],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
        allowHeaders: ["Authorization", "Content-Type"],
        maxAge: CORS_MAX_AGE,
      },
    });
    // The functions may learn the API's own URL (for links in alert messages): the API resource
    // does not depend on them, only its routes and integrations do.
    const functionProps = { ...props, apiUrl: this.api.apiEndpoint };
    const functions = new Map(
      [authorizerHandler, ...routeHandlers].map((handler) => [
        handler,
        this.createFunction(handler, functionProps),
      ]),
    );
    // Large uploads are registered after the answer, by a worker on a queue put-baseline fills.
    this.baselineRegistration = new BaselineRegistration(this, "BaselineRegistration", props);
    const putBaseline = functions.get("put-baseline");
    if (!putBaseline) throw new Error('No function was created for handler "put-baseline".');
    this.baselineRegistration.grantQueueing(putBaseline);
    functions.set(BASELINE_REGISTRATION_HANDLER, this.baselineRegistration.worker);
    this.functions = functions;

    this.ingestServerErrorsAlarm = this.addDefaultStage(props.data);
    this.addRoutes();
    this.dashboard.publish({ apiUrl: this.api.apiEndpoint });

    new CfnOutput(this, "BaselineRegistrationDeadLetterQueueUrl", {
      value: this.baselineRegistration.deadLetterQueue.queueUrl,
      description: "SQS queue of baseline upload registrations that failed 3 times",
    });
    new CfnOutput(this, "ApiUrl", {
      // The $default stage serves at the endpoint's root: clients append /v1/... to this.
      value: this.api.apiEndpoint,
      description: "Base URL of the DriftWatch API (no trailing slash)",
    });
    new CfnOutput(this, "DashboardUrl", {
      value: this.dashboard.url,
      description: "The DriftWatch dashboard (sign in with the admin token or a model token)",
    });
  }

  private createFunction(handler: string, props: HandlerFunctionProps): MonitoringFunction {
    const fn = createHandlerFunction(this, handler, props);
    const invokedSynchronously =
      "Invoked synchronously by API Gateway, so a failure goes back to the caller as an HTTP error; Lambda only routes asynchronous invocations to a dead-letter target.";
    Validations.of(fn.lambda).acknowledge({ id: "Serverless-LambdaDLQ", reason: invokedSynchronously });
    return fn;
  }

  /** The $default stage with its access log, and the ingest 5xx alarm counted from that log. */
  private addDefaultStage(data: DataStack): Alarm {
    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: RetentionDays.ONE_MONTH,
      // Kept after the stateless stack is deleted, for audit; retention still empties it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // API Gateway's own 5xx metric is per API or, with paid detailed metrics, per route: one metric
    // filter on the access log counts the ingest route's alone.
    const ingestRoute = routes.find((route) => route.handler === INGEST_HANDLER);
    if (!ingestRoute) throw new Error(`No route is served by ${INGEST_HANDLER}.`);
    const ingestServerErrors = new MetricFilter(this, "IngestServerErrors", {
      logGroup: accessLogs,
      filterPattern: FilterPattern.all(
        FilterPattern.stringValue("$.routeKey", "=", `${ingestRoute.method} ${ingestRoute.path}`),
        FilterPattern.stringValue("$.status", "=", "5*"),
      ),
      metricNamespace: METRICS_NAMESPACE,
      metricName: INGEST_SERVER_ERRORS_METRIC,
      metricValue: "1",
      defaultValue: 0,
    });
    this.api.addStage("DefaultStage", {
      stageName: "$default",
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    return operationsAlarm(this, "IngestServerErrorsAlarm", data.operationsTopic, {
      name: "ingest-server-errors",
      description: `The ingest route answered with a 5xx: those predictions were not stored (clients should retry). See the ${INGEST_HANDLER} log group and the API's access log for the requests.`,
      metric: ingestServerErrors.metric({ statistic: Stats.SUM, period: ALARM_PERIOD }),
    });
  }

  private addRoutes(): void {
    // Never denies: it resolves the token to a principal in the context and the handlers answer
    // 401/403 as problem+json themselves; API Gateway's own deny would be a bare 403. The cached
    // answer is safe to share between routes because it names who is calling, not what they may do.
    const authorizer = new HttpLambdaAuthorizer(
      "BearerTokenAuthorizer",
      this.functionFor(authorizerHandler),
      {
        authorizerName: "bearer-token",
        responseTypes: [HttpLambdaResponseType.SIMPLE],
        identitySource: ["$request.header.Authorization"],
        resultsCacheTtl: AUTHORIZER_CACHE_TTL,
      },
    );
    for (const route of routes) {
      const routeKey = `${route.method} ${route.path}`;
      const [apiRoute] = this.api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(
          `${pascalCase(route.handler)}Integration`,
          this.functionFor(route.handler),
        ),
        authorizer: route.authorized ? authorizer : undefined,
      });
      const publicReason = PUBLIC_ROUTES.get(routeKey);
      if (apiRoute && publicReason) {
        Validations.of(apiRoute).acknowledge({ id: "AwsSolutions-APIG4", reason: publicReason });
      }
    }
  }

  private functionFor(handler: string) {
    const fn = this.functions.get(handler);
    if (!fn) throw new Error(`No function was created for handler "${handler}".`);
    return fn.lambda;
  }
}
