import { describe, expect, it } from "vitest";
import { BASELINE_REGISTRATION_HANDLER } from "../../infra/constructs/baseline-registration.ts";
import { handlerSpecFor } from "../../infra/handler-specs.ts";
import { API_URL_ENV_VAR, RETENTION_ENV_VAR } from "../../shared/aws/resources.ts";
import { authorizerHandler, routeHandlers, routes } from "../../shared/http/routes.ts";
import { logicalIdOf, resourceOf, resourcesOfType, synthDriftWatch } from "./support/synth.ts";

const { api, apiTemplate } = synthDriftWatch();
// The registration worker is no route's, but lives beside put-baseline, which queues its work.
const allHandlers = [authorizerHandler, ...routeHandlers, BASELINE_REGISTRATION_HANDLER];

function functionLogicalId(handler: string): string {
  const fn = api.functions.get(handler);
  if (!fn) throw new Error(`no function for ${handler}`);
  return logicalIdOf(api, fn.lambda);
}

const functionOf = (handler: string) => resourceOf(apiTemplate, functionLogicalId(handler));

describe("functions", () => {
  it("one per handler: the authorizer, every distinct handler of routes.ts and the registration worker", () => {
    expect([...api.functions.keys()].sort()).toEqual([...allHandlers].sort());
    // Besides CDK's own function that uploads the dashboard (infra/constructs/dashboard-site.ts).
    const functions = Object.keys(resourcesOfType(apiTemplate, "AWS::Lambda::Function"));
    expect(functions.filter((logicalId) => !logicalId.startsWith("CustomCDKBucketDeployment"))).toHaveLength(
      allHandlers.length,
    );
    expect(functions).toHaveLength(allHandlers.length + 1);
  });

  it.each(allHandlers)(
    "%s runs Node 22 on arm64 with tracing, explicit sizing and the house environment",
    (handler) => {
      const { Properties } = functionOf(handler);
      expect(Properties).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        TracingConfig: { Mode: "Active" },
        Environment: {
          Variables: {
            NODE_OPTIONS: "--enable-source-maps",
            POWERTOOLS_SERVICE_NAME: "driftwatch",
            POWERTOOLS_METRICS_NAMESPACE: "DriftWatch",
            [RETENTION_ENV_VAR]: "90",
          },
        },
      });
      expect(Properties.MemorySize).toBe(handlerSpecFor(handler).memorySize ?? 512);
      expect(Properties.Timeout).toBe(handlerSpecFor(handler).timeout?.toSeconds() ?? 10);
      // API Gateway gives up after 29 s; the worker answers no request, and takes Lambda's most.
      if (handler === BASELINE_REGISTRATION_HANDLER) expect(Properties.Timeout).toBe(900);
      else expect(Properties.Timeout).toBeLessThan(29);
    },
  );

  it("feeds the registration worker from its queue one message at a time, reporting each failure", () => {
    const queue = resourceOf(apiTemplate, logicalIdOf(api, api.baselineRegistration.queue));
    const deadLetterQueue = resourceOf(
      apiTemplate,
      logicalIdOf(api, api.baselineRegistration.deadLetterQueue),
    );
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 5400,
      RedrivePolicy: { maxReceiveCount: 3 },
    });
    expect(queue.DeletionPolicy).toBe("Retain");
    expect(deadLetterQueue.DeletionPolicy).toBe("Retain");
    const mappings = Object.values(resourcesOfType(apiTemplate, "AWS::Lambda::EventSourceMapping"));
    expect(mappings.map((mapping) => mapping.Properties)).toEqual([
      expect.objectContaining({ BatchSize: 1, FunctionResponseTypes: ["ReportBatchItemFailures"] }),
    ]);
  });

  it("each function logs to its own log group kept for a month", () => {
    for (const handler of allHandlers) {
      const logGroupRef = (functionOf(handler).Properties.LoggingConfig as { LogGroup: { Ref: string } })
        .LogGroup;
      expect(resourceOf(apiTemplate, logGroupRef.Ref).Properties.RetentionInDays).toBe(30);
    }
  });

  it("no role carries an AWS-managed policy", () => {
    for (const role of Object.values(resourcesOfType(apiTemplate, "AWS::IAM::Role"))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});

describe("HTTP API", () => {
  const authorizers = resourcesOfType(apiTemplate, "AWS::ApiGatewayV2::Authorizer");
  const [authorizerId] = Object.keys(authorizers);

  it("resolves bearer tokens with a cached simple-response Lambda authorizer", () => {
    expect(Object.keys(authorizers)).toHaveLength(1);
    expect(authorizers[authorizerId as string]?.Properties).toMatchObject({
      AuthorizerType: "REQUEST",
      AuthorizerPayloadFormatVersion: "2.0",
      EnableSimpleResponses: true,
      IdentitySource: ["$request.header.Authorization"],
      AuthorizerResultTtlInSeconds: 60,
      AuthorizerUri: {
        "Fn::Join": [
          "",
          expect.arrayContaining([{ "Fn::GetAtt": [functionLogicalId(authorizerHandler), "Arn"] }]),
        ],
      },
    });
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "serves %s from its handler, behind the authorizer when the route says so",
    (routeKey, route) => {
      const matching = Object.values(resourcesOfType(apiTemplate, "AWS::ApiGatewayV2::Route")).filter(
        (resource) => resource.Properties.RouteKey === routeKey,
      );
      expect(matching).toHaveLength(1);
      const properties = matching[0]?.Properties ?? {};
      if (route.authorized) {
        expect(properties).toMatchObject({
          AuthorizationType: "CUSTOM",
          AuthorizerId: { Ref: authorizerId },
        });
      } else {
        expect(properties.AuthorizationType).toBe("NONE");
      }
      const integrationId = (properties.Target as { "Fn::Join": [string, [string, { Ref: string }]] })[
        "Fn::Join"
      ][1][1].Ref;
      expect(resourceOf(apiTemplate, integrationId).Properties.IntegrationUri).toEqual({
        "Fn::GetAtt": [functionLogicalId(route.handler), "Arn"],
      });
    },
  );

  it("has no routes besides those of routes.ts", () => {
    expect(Object.keys(resourcesOfType(apiTemplate, "AWS::ApiGatewayV2::Route"))).toHaveLength(routes.length);
  });

  it("logs every request as JSON to a log group and throttles by default", () => {
    const [stage] = Object.values(resourcesOfType(apiTemplate, "AWS::ApiGatewayV2::Stage"));
    const properties = stage?.Properties ?? {};
    expect(properties).toMatchObject({
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: expect.any(Number),
        ThrottlingBurstLimit: expect.any(Number),
      },
    });
    const accessLog = properties.AccessLogSettings as {
      DestinationArn: { "Fn::GetAtt": [string, string] };
      Format: string;
    };
    expect(JSON.parse(accessLog.Format)).toMatchObject({
      requestId: "$context.requestId",
      status: "$context.status",
    });
    const logGroup = resourceOf(apiTemplate, accessLog.DestinationArn["Fn::GetAtt"][0]);
    expect(logGroup.Type).toBe("AWS::Logs::LogGroup");
    expect(logGroup.Properties.RetentionInDays).toBe(30);
  });

  it("tells the functions that link to it (run-checks' alert messages) its own URL, and no other function", () => {
    const endpoint = { "Fn::GetAtt": [logicalIdOf(api, api.api), "ApiEndpoint"] };
    expect(allHandlers.filter((handler) => handlerSpecFor(handler).linksToApi)).toEqual(["run-checks"]);
    for (const handler of allHandlers) {
      const variables = (functionOf(handler).Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(variables[API_URL_ENV_VAR], handler).toEqual(
        handlerSpecFor(handler).linksToApi ? endpoint : undefined,
      );
    }
  });

  it("outputs ApiUrl as the endpoint that /v1/... paths are appended to", () => {
    apiTemplate.hasOutput("ApiUrl", { Value: { "Fn::GetAtt": [logicalIdOf(api, api.api), "ApiEndpoint"] } });
  });
});
