import { describe, expect, it } from "vitest";
import { handlerSpecFor, handlerSpecs } from "../../infra/handler-specs.ts";
import {
  adminTokenSecret,
  dataBucket,
  modelsTable,
  predictionsTable,
  RETENTION_ENV_VAR,
  tables,
  tokensTable,
} from "../../shared/aws/resources.ts";
import { authorizerHandler, routeHandlers, routes } from "../../shared/http/routes.ts";
import { logicalIdOf, resourceOf, resourcesOfType, synthDriftWatch } from "./support/synth.ts";

const { api, apiTemplate } = synthDriftWatch();
const allHandlers = [authorizerHandler, ...routeHandlers];

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

function functionLogicalId(handler: string): string {
  const fn = api.functions.get(handler);
  if (!fn) throw new Error(`no function for ${handler}`);
  return logicalIdOf(api, fn.lambda);
}

const functionOf = (handler: string) => resourceOf(apiTemplate, functionLogicalId(handler));

const environmentOf = (handler: string) =>
  (functionOf(handler).Properties.Environment as { Variables: Record<string, unknown> }).Variables;

/** Every statement of the policies attached to a handler's role. */
function statementsOf(handler: string): Statement[] {
  const role = api.functions.get(handler)?.lambda.role;
  if (!role) throw new Error(`no role for ${handler}`);
  const roleId = logicalIdOf(api, role);
  return Object.values(resourcesOfType(apiTemplate, "AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
const ITEM_ACTIONS = new Set(
  [
    "GetItem",
    "BatchGetItem",
    "Query",
    "ConditionCheckItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "BatchWriteItem",
  ].map((action) => `dynamodb:${action}`),
);
const resourceText = (statement: Statement) => JSON.stringify(statement.Resource);

/** The DynamoDB actions a handler holds on one table, found by the table's construct id in the ARN import. */
function tableActions(handler: string, constructId: string): string[] {
  return statementsOf(handler)
    .filter((statement) => resourceText(statement).includes(constructId))
    .flatMap(actionsOf)
    .filter((action) => action.startsWith("dynamodb:"));
}

describe("functions", () => {
  it("one per handler: the authorizer and every distinct handler of routes.ts", () => {
    expect([...api.functions.keys()].sort()).toEqual([...allHandlers].sort());
    expect(Object.keys(resourcesOfType(apiTemplate, "AWS::Lambda::Function"))).toHaveLength(
      allHandlers.length,
    );
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
      expect(Properties.Timeout).toBeLessThan(29);
    },
  );

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

describe("least privilege", () => {
  it("every handler has a permissions entry, and no entry is left over", () => {
    expect(Object.keys(handlerSpecs).sort()).toEqual([...allHandlers].sort());
    expect(() => handlerSpecFor("no-such-handler")).toThrow(
      /No permissions defined for handler "no-such-handler"/,
    );
  });

  // Written out here rather than derived from handler-specs.ts, so a change there must be made twice.
  const expectedTableAccess: Record<string, Record<string, "read" | "write" | "readWrite">> = {
    "authorize-request": { [tokensTable.constructId]: "read" },
    "get-health": {},
    "put-model-config": { [modelsTable.constructId]: "readWrite" },
    "get-model-config": { [modelsTable.constructId]: "read" },
    "create-model-token": { [tokensTable.constructId]: "write", [modelsTable.constructId]: "read" },
    "revoke-model-token": { [tokensTable.constructId]: "readWrite" },
    "ingest-predictions": { [predictionsTable.constructId]: "readWrite", [modelsTable.constructId]: "read" },
    "ingest-ground-truth": { [predictionsTable.constructId]: "readWrite", [modelsTable.constructId]: "read" },
  };

  it.each(Object.entries(expectedTableAccess))(
    "%s reaches exactly the tables it needs",
    (handler, expected) => {
      for (const table of tables) {
        const actions = tableActions(handler, table.constructId);
        const access = expected[table.constructId];
        const reads = actions.includes("dynamodb:GetItem") && actions.includes("dynamodb:BatchGetItem");
        const writes = actions.includes("dynamodb:PutItem") && actions.includes("dynamodb:BatchWriteItem");
        expect({ table: table.constructId, reads, writes }).toEqual({
          table: table.constructId,
          reads: access === "read" || access === "readWrite",
          writes: access === "write" || access === "readWrite",
        });
        expect(actions.filter((action) => !ITEM_ACTIONS.has(action))).toEqual([]);
        expect(table.envVar in environmentOf(handler), `${handler} ${table.envVar}`).toBe(
          access !== undefined,
        );
      }
    },
  );

  it("no statement grants on a table's indexes or on every resource, except X-Ray's", () => {
    for (const handler of allHandlers) {
      for (const statement of statementsOf(handler)) {
        expect(resourceText(statement)).not.toContain("/index/");
        if (statement.Resource === "*") {
          expect(actionsOf(statement).every((action) => action.startsWith("xray:"))).toBe(true);
        }
      }
    }
  });

  it("ingest-predictions may write, delete and read objects only under logs/, never the bucket itself", () => {
    const s3Statements = statementsOf("ingest-predictions").filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith("s3:")),
    );
    expect(s3Statements.length).toBeGreaterThan(0);
    expect(s3Statements.flatMap(actionsOf)).toContain("s3:PutObject");
    for (const statement of s3Statements) {
      expect(actionsOf(statement).every((action) => /^s3:(Put|Delete|Get)Object$/.test(action))).toBe(true);
      const resources = [statement.Resource].flat().map((resource) => JSON.stringify(resource));
      for (const resource of resources)
        expect(resource).toMatch(new RegExp(`/${dataBucket.logsPrefix}\\*"\\]\\]\\}$`));
    }
  });

  it("only ingest-predictions holds any S3 permission", () => {
    for (const handler of allHandlers.filter((name) => name !== "ingest-predictions")) {
      expect(
        statementsOf(handler)
          .flatMap(actionsOf)
          .filter((action) => action.startsWith("s3:")),
      ).toEqual([]);
      expect(dataBucket.envVar in environmentOf(handler), handler).toBe(false);
    }
  });

  it("only the authorizer may read the admin token secret, and it learns its ARN", () => {
    for (const handler of allHandlers) {
      const readsSecret = statementsOf(handler).flatMap(actionsOf).includes("secretsmanager:GetSecretValue");
      expect(readsSecret, handler).toBe(handler === authorizerHandler);
      expect(adminTokenSecret.envVar in environmentOf(handler), handler).toBe(handler === authorizerHandler);
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

  it("outputs ApiUrl as the endpoint that /v1/... paths are appended to", () => {
    apiTemplate.hasOutput("ApiUrl", { Value: { "Fn::GetAtt": [logicalIdOf(api, api.api), "ApiEndpoint"] } });
  });
});
