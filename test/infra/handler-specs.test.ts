import { describe, expect, it } from "vitest";
import { alertFanOutHandlers } from "../../infra/constructs/alert-fan-out.ts";
import { BASELINE_REGISTRATION_HANDLER } from "../../infra/constructs/baseline-registration.ts";
import { checkPipelineHandlers } from "../../infra/constructs/check-pipeline.ts";
import { handlerSpecFor, handlerSpecs } from "../../infra/handler-specs.ts";
import { EVENT_BUS_ENV_VAR, RETRAINING_EVENT_SOURCE } from "../../shared/alerts/retraining.ts";
import {
  adminTokenSecret,
  alertActionsTable,
  alertsTable,
  alertsTopic,
  baselinesTable,
  checksTable,
  dataBucket,
  modelsTable,
  predictionsTable,
  slackWebhookSecret,
  tables,
  tokensTable,
} from "../../shared/aws/resources.ts";
import { authorizerHandler, routeHandlers } from "../../shared/http/routes.ts";
import {
  actionsOf,
  dataAccessOf,
  resourceText,
  type Statement,
  statementsOfRole,
  TABLE_ACTIONS_BY_LEVEL,
  tableActions,
} from "./support/policies.ts";
import { logicalIdOf, resourceOf, synthDriftWatch } from "./support/synth.ts";

const driftWatch = synthDriftWatch();
const { api, checks, alerts, data } = driftWatch;
const apiHandlers = [authorizerHandler, ...routeHandlers, BASELINE_REGISTRATION_HANDLER];
const allHandlers = [...apiHandlers, ...checkPipelineHandlers, ...alertFanOutHandlers];
const bucketArnExport = data.dataBucketArnExport.exportName;

/** How another stack imports a value the data stack exports: `{"Fn::ImportValue": <export name>}`. */
function importedFromData(value: unknown): { "Fn::ImportValue": string } {
  const outputs = driftWatch.dataTemplate.toJSON().Outputs as Record<
    string,
    { Value: unknown; Export?: { Name: string } }
  >;
  const exported = Object.values(outputs).find(
    (output) => output.Export && JSON.stringify(output.Value) === JSON.stringify(value),
  );
  if (!exported?.Export) throw new Error(`the data stack exports no ${JSON.stringify(value)}`);
  return { "Fn::ImportValue": exported.Export.Name };
}

interface DeployedHandler {
  readonly statements: Statement[];
  readonly environment: Record<string, unknown>;
}

/** A handler's role statements and environment, wherever it is deployed: the API, check or alert stack. */
function deployed(handler: string): DeployedHandler {
  const where = [
    { stack: api, functions: api.functions, template: () => driftWatch.apiTemplate },
    { stack: checks, functions: checks.pipeline.functions, template: () => driftWatch.checksTemplate },
    { stack: alerts, functions: alerts.fanOut.functions, template: () => driftWatch.alertsTemplate },
  ].find(({ functions }) => functions.has(handler));
  const fn = where?.functions.get(handler);
  if (!where || !fn) throw new Error(`no function for ${handler}`);
  const { stack } = where;
  const template = where.template();
  const properties = resourceOf(template, logicalIdOf(stack, fn.lambda)).Properties;
  return {
    statements: statementsOfRole(stack, template, fn.lambda.role),
    environment: (properties.Environment as { Variables: Record<string, unknown> }).Variables,
  };
}

// Written out here rather than derived from handler-specs.ts, so a change there must be made twice.
type Level = keyof typeof TABLE_ACTIONS_BY_LEVEL;
const expectedTableAccess: Record<string, Record<string, Level | Level[]>> = {
  "authorize-request": { [tokensTable.constructId]: "read" },
  "get-health": {},
  "put-model-config": { [modelsTable.constructId]: "readWrite" },
  "get-model-config": { [modelsTable.constructId]: "read" },
  "list-models": { [modelsTable.constructId]: ["read", "scan"] },
  "get-metrics": {
    [modelsTable.constructId]: "scan",
    [checksTable.constructId]: "read",
    [alertsTable.constructId]: "read",
  },
  "get-distributions": { [modelsTable.constructId]: "read", [checksTable.constructId]: "read" },
  "create-model-token": { [tokensTable.constructId]: "write", [modelsTable.constructId]: "read" },
  "revoke-model-token": { [tokensTable.constructId]: "readWrite" },
  "ingest-predictions": { [predictionsTable.constructId]: "readWrite", [modelsTable.constructId]: "read" },
  "ingest-ground-truth": { [predictionsTable.constructId]: "readWrite", [modelsTable.constructId]: "read" },
  "put-baseline": { [modelsTable.constructId]: "read", [baselinesTable.constructId]: "readPut" },
  "get-baseline": { [modelsTable.constructId]: "read", [baselinesTable.constructId]: "read" },
  "register-baseline": { [baselinesTable.constructId]: "readPut" },
  "get-baseline-upload": { [modelsTable.constructId]: "read", [baselinesTable.constructId]: "read" },
  "create-baseline-upload": { [modelsTable.constructId]: "read" },
  "run-checks": {
    [modelsTable.constructId]: "read",
    [baselinesTable.constructId]: "readPut",
    [checksTable.constructId]: "readPut",
    [alertsTable.constructId]: "readWrite",
  },
  "get-drift": { [modelsTable.constructId]: "read", [checksTable.constructId]: "read" },
  "get-latency": { [modelsTable.constructId]: "read", [checksTable.constructId]: "read" },
  "get-performance": { [modelsTable.constructId]: "read", [checksTable.constructId]: "read" },
  "plan-check": { [modelsTable.constructId]: "read", [checksTable.constructId]: "read" },
  "summarize-batches": {},
  "finish-check": {
    [modelsTable.constructId]: "read",
    [baselinesTable.constructId]: "readPut",
    [checksTable.constructId]: "readPut",
    [alertsTable.constructId]: "readWrite",
  },
  "sync-model-schedule": { [modelsTable.constructId]: "scan" },
  "get-alerts": { [alertsTable.constructId]: ["read", "scan"] },
  "acknowledge-alert": { [alertsTable.constructId]: "readWrite" },
  "deliver-slack": { [alertActionsTable.constructId]: "readPut" },
  "roll-back-model": { [modelsTable.constructId]: "read", [alertActionsTable.constructId]: "readWrite" },
  "request-retraining": { [modelsTable.constructId]: "read", [alertActionsTable.constructId]: "readWrite" },
  "sync-email-subscriptions": { [modelsTable.constructId]: "scan" },
};

const GET = "s3:GetObject";
const PUT = "s3:PutObject";
const DELETE = "s3:DeleteObject";
const ABORT = "s3:AbortMultipartUpload";
/** Data bucket access of every handler that has any; all others have none. */
const expectedDataAccess: Record<string, { listPrefixes?: string[]; objects: Record<string, string[]> }> = {
  "ingest-predictions": { listPrefixes: ["logs/*"], objects: { "logs/": [DELETE, PUT] } },
  "ingest-ground-truth": { objects: { "labels/": [PUT] } },
  "put-baseline": {
    listPrefixes: ["logs/*", "uploads/*"],
    objects: { "logs/": [GET], "uploads/": [DELETE, GET, PUT], "baselines/": [ABORT, PUT] },
  },
  "create-baseline-upload": { objects: { "uploads/": [ABORT, PUT] } },
  "register-baseline": {
    listPrefixes: ["uploads/*"],
    objects: { "uploads/": [DELETE, GET, PUT], "baselines/": [ABORT, PUT] },
  },
  "get-baseline-upload": { listPrefixes: ["uploads/*"], objects: { "uploads/": [GET] } },
  "run-checks": {
    listPrefixes: ["labels/*", "logs/*"],
    objects: { "logs/": [GET], "labels/": [GET], "baselines/": [ABORT, GET, PUT], "reports/": [PUT] },
  },
  "get-drift": { objects: { "reports/": [GET] } },
  "get-distributions": { objects: { "reports/": [GET] } },
  "get-performance": { objects: { "reports/": [GET] } },
  "plan-check": { listPrefixes: ["labels/*", "logs/*"], objects: { "labels/": [GET], "partials/": [PUT] } },
  "summarize-batches": { objects: { "logs/": [GET], "partials/": [ABORT, GET, PUT] } },
  "finish-check": {
    objects: { "partials/": [DELETE, GET], "baselines/": [ABORT, GET, PUT], "reports/": [PUT] },
  },
};

describe("least privilege", () => {
  it("every deployed handler has a permissions entry, and no entry is left over", () => {
    expect(Object.keys(handlerSpecs).sort()).toEqual([...allHandlers].sort());
    expect(Object.keys(expectedTableAccess).sort()).toEqual([...allHandlers].sort());
    expect(() => handlerSpecFor("no-such-handler")).toThrow(
      /No permissions defined for handler "no-such-handler"/,
    );
  });

  it.each(Object.entries(expectedTableAccess))(
    "%s reaches exactly the tables it needs, with exactly the actions of its access level",
    (handler, expected) => {
      const { statements, environment } = deployed(handler);
      for (const table of tables) {
        const access = expected[table.constructId];
        const levels = [access ?? []].flat();
        expect(tableActions(statements, table.constructId), `${handler} on ${table.constructId}`).toEqual(
          levels.flatMap((level) => TABLE_ACTIONS_BY_LEVEL[level]).sort(),
        );
        expect(table.envVar in environment, `${handler} ${table.envVar}`).toBe(access !== undefined);
      }
    },
  );

  it("no handler holds a DynamoDB action beyond item reads and writes, but the syncs' stream reads and the scans of the resyncs, the alert and model listings and the scrape", () => {
    const itemActions = new Set<string>(TABLE_ACTIONS_BY_LEVEL.readWrite);
    const streamReads = [
      "dynamodb:DescribeStream",
      "dynamodb:GetRecords",
      "dynamodb:GetShardIterator",
      "dynamodb:ListStreams",
    ];
    const expected: Record<string, string[]> = {
      "sync-model-schedule": [...streamReads, "dynamodb:Scan"],
      "sync-email-subscriptions": [...streamReads, "dynamodb:Scan"],
      "get-alerts": ["dynamodb:Scan"],
      "list-models": ["dynamodb:Scan"],
      "get-metrics": ["dynamodb:Scan"],
    };
    for (const handler of allHandlers) {
      const others = deployed(handler)
        .statements.flatMap(actionsOf)
        .filter((action) => action.startsWith("dynamodb:") && !itemActions.has(action));
      expect(others.sort(), handler).toEqual((expected[handler] ?? []).sort());
    }
  });

  it("the history tables' writers may add items but never update or delete them", () => {
    for (const handler of allHandlers) {
      for (const table of [baselinesTable, checksTable]) {
        const actions = tableActions(deployed(handler).statements, table.constructId);
        expect(actions, `${handler} on ${table.constructId}`).not.toContain("dynamodb:UpdateItem");
        expect(actions).not.toContain("dynamodb:DeleteItem");
        expect(actions).not.toContain("dynamodb:BatchWriteItem");
      }
    }
  });

  it("summarize-batches touches no table at all", () => {
    const actions = deployed("summarize-batches").statements.flatMap(actionsOf);
    expect(actions.filter((action) => action.startsWith("dynamodb:"))).toEqual([]);
  });

  it.each(allHandlers)("%s reaches the data bucket only under the prefixes it needs", (handler) => {
    const expected = expectedDataAccess[handler];
    const { statements, environment } = deployed(handler);
    expect(dataAccessOf(statements, bucketArnExport)).toEqual({
      listPrefixes: expected?.listPrefixes ?? [],
      objects: expected?.objects ?? {},
    });
    expect(dataBucket.envVar in environment, handler).toBe(expected !== undefined);
  });

  it("put-baseline lists only under logs/ and uploads/ and cannot write, delete or even read outside its prefixes", () => {
    const access = dataAccessOf(deployed("put-baseline").statements, bucketArnExport);
    expect(access.listPrefixes).toEqual([`${dataBucket.logsPrefix}*`, `${dataBucket.uploadsPrefix}*`]);
    expect(access.objects[dataBucket.logsPrefix]).toEqual([GET]);
    expect(Object.keys(access.objects).sort()).toEqual(
      [dataBucket.logsPrefix, dataBucket.uploadsPrefix, dataBucket.baselinesPrefix].sort(),
    );
  });

  it("no handler may write or delete raw logs but the ingest function", () => {
    for (const handler of allHandlers.filter((name) => name !== "ingest-predictions")) {
      const logs = dataAccessOf(deployed(handler).statements, bucketArnExport).objects[dataBucket.logsPrefix];
      expect(logs ?? [], handler).not.toContain(PUT);
      expect(logs ?? [], handler).not.toContain(DELETE);
    }
  });

  it("no statement grants on a table's indexes, or on every resource except X-Ray's and the stream listing", () => {
    const streamReaders = ["sync-model-schedule", "sync-email-subscriptions"];
    for (const handler of allHandlers) {
      for (const statement of deployed(handler).statements) {
        expect(resourceText(statement)).not.toContain("/index/");
        if (statement.Resource === "*") {
          const allowed = streamReaders.includes(handler) ? /^(xray:|dynamodb:ListStreams$)/ : /^xray:/;
          expect(
            actionsOf(statement).every((action) => allowed.test(action)),
            handler,
          ).toBe(true);
        }
      }
    }
  });

  it("only the authorizer may read the admin token secret and only deliver-slack the Slack webhook secret, each learning its ARN", () => {
    const readers: Record<string, unknown> = {
      [authorizerHandler]: importedFromData({ Ref: logicalIdOf(data, data.adminTokenSecret) }),
      "deliver-slack": importedFromData({ Ref: logicalIdOf(data, data.slackWebhookSecret) }),
    };
    for (const handler of allHandlers) {
      const { statements, environment } = deployed(handler);
      const reads = statements
        .filter((statement) => actionsOf(statement).some((action) => action.startsWith("secretsmanager:")))
        .map((statement) => ({ actions: actionsOf(statement), resource: statement.Resource }));
      const secret = readers[handler];
      expect(reads, handler).toEqual(
        secret ? [{ actions: ["secretsmanager:GetSecretValue"], resource: secret }] : [],
      );
      expect(adminTokenSecret.envVar in environment, handler).toBe(handler === authorizerHandler);
      expect(slackWebhookSecret.envVar in environment, handler).toBe(handler === "deliver-slack");
    }
  });

  it("only the checks may publish to the alerts topic, only the email sync may manage its subscriptions, and they learn its ARN", () => {
    const topic = importedFromData({ Ref: logicalIdOf(data, data.alertsTopic) });
    const expectedActions: Record<string, string[]> = {
      "run-checks": ["sns:Publish"],
      "finish-check": ["sns:Publish"],
      "sync-email-subscriptions": [
        "sns:GetSubscriptionAttributes",
        "sns:ListSubscriptionsByTopic",
        "sns:SetSubscriptionAttributes",
        "sns:Subscribe",
        "sns:Unsubscribe",
      ],
    };
    for (const handler of allHandlers) {
      const { statements, environment } = deployed(handler);
      const onTopic = statements.filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith("sns:")),
      );
      for (const statement of onTopic) expect(statement.Resource, handler).toEqual(topic);
      const expected = expectedActions[handler] ?? [];
      expect(onTopic.flatMap(actionsOf).sort(), handler).toEqual(expected);
      expect(alertsTopic.envVar in environment, handler).toBe(expected.length > 0);
    }
  });

  it("only request-retraining may put events, DriftWatch's own on the default bus alone, and it learns the bus", () => {
    for (const handler of allHandlers) {
      const puts = deployed(handler).statements.filter((statement) =>
        actionsOf(statement).some((action) => action.startsWith("events:")),
      );
      expect(EVENT_BUS_ENV_VAR in deployed(handler).environment, handler).toBe(
        handler === "request-retraining",
      );
      if (handler !== "request-retraining") {
        expect(puts, handler).toEqual([]);
        continue;
      }
      expect(puts.flatMap(actionsOf)).toEqual(["events:PutEvents"]);
      expect(puts[0]?.Condition).toEqual({ StringEquals: { "events:source": RETRAINING_EVENT_SOURCE } });
      expect(deployed(handler).environment[EVENT_BUS_ENV_VAR]).toEqual(puts[0]?.Resource);
      expect(puts[0]?.Resource).toEqual({
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            ":events:",
            { Ref: "AWS::Region" },
            ":",
            { Ref: "AWS::AccountId" },
            ":event-bus/default",
          ],
        ],
      });
    }
  });

  it("only put-baseline may queue registrations, and only the worker may consume them", () => {
    for (const handler of allHandlers) {
      const actions = deployed(handler)
        .statements.filter((statement) => resourceText(statement).includes("BaselineRegistrationQueue"))
        .flatMap(actionsOf);
      const expected =
        handler === "put-baseline"
          ? ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"]
          : handler === BASELINE_REGISTRATION_HANDLER
            ? [
                "sqs:ChangeMessageVisibility",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
                "sqs:GetQueueUrl",
                "sqs:ReceiveMessage",
              ]
            : [];
      expect([...new Set(actions)].sort(), handler).toEqual(expected);
    }
  });

  it("only the schedule sync may manage schedules or pass a role", () => {
    for (const handler of allHandlers) {
      const actions = deployed(handler).statements.flatMap(actionsOf);
      const manages = actions.some((action) => action.startsWith("scheduler:") || action === "iam:PassRole");
      expect(manages, handler).toBe(handler === "sync-model-schedule");
    }
  });
});
