import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { listenOnLoopback, requestBody } from "./loopback-server.ts";

/** An alias as Lambda keeps it. */
export interface FakeAlias {
  FunctionVersion: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
  RevisionId: string;
}

export interface FakeFunction {
  /** Published versions and `$LATEST`, as ListVersionsByFunction lists them. */
  versions: string[];
  aliases: Record<string, FakeAlias>;
  /** UpdateAlias calls to make and then answer with a 500, as if the answer were lost on the way. */
  lostUpdateAnswers?: number;
}

export interface FakeRollbackTargets {
  /** The endpoint to give the Lambda, SSM and SageMaker clients. */
  url: string;
  functions: Map<string, FakeFunction>;
  parameters: Map<string, { value: string; version: number }>;
  /** Every call, by service and operation, with its parsed body. */
  calls: { operation: string; body: unknown }[];
  close: () => Promise<void>;
}

/** Versions per ListVersionsByFunction page, small so that a rollback has to follow NextMarker. */
const VERSIONS_PAGE = 2;

/**
 * Lambda's alias and version calls, SSM's PutParameter and SageMaker's
 * UpdateEndpointWeightsAndCapacities on 127.0.0.1, as their wire protocols have them (Lambda:
 * REST-JSON; SSM and SageMaker: JSON 1.1), for the rollback targets no local emulator serves.
 */
export async function startFakeRollbackTargets(): Promise<FakeRollbackTargets> {
  const targets: FakeRollbackTargets = {
    url: "",
    functions: new Map(),
    parameters: new Map(),
    calls: [],
    close: async () => undefined,
  };
  const server = createServer(async (request, response) => {
    const text = await requestBody(request);
    const body: Record<string, unknown> = text ? JSON.parse(text) : {};
    const target = request.headers["x-amz-target"];
    if (typeof target === "string") jsonOperation(targets, target, body, response);
    else lambdaOperation(targets, request, body, response);
  });
  return Object.assign(targets, await listenOnLoopback(server));
}

function answer(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    "content-type": "application/json",
    ...(errorType ? { "x-amzn-errortype": errorType } : {}),
  });
  response.end(JSON.stringify(body));
}

function lambdaOperation(
  targets: FakeRollbackTargets,
  request: IncomingMessage,
  body: Record<string, unknown>,
  response: ServerResponse,
): void {
  const url = new URL(request.url ?? "/", "http://localhost");
  const [, name, kind, aliasName] =
    /^\/2015-03-31\/functions\/([^/]+)\/(aliases|versions)(?:\/([^/]+))?$/.exec(url.pathname) ?? [];
  const fn = targets.functions.get(decodeURIComponent(name ?? ""));
  const alias = aliasName && fn?.aliases[decodeURIComponent(aliasName)];
  const operation =
    kind === "versions" ? "ListVersionsByFunction" : request.method === "PUT" ? "UpdateAlias" : "GetAlias";
  targets.calls.push({ operation, body: kind === "versions" ? Object.fromEntries(url.searchParams) : body });
  if (!fn || (kind === "aliases" && !alias)) {
    answer(
      response,
      404,
      { Type: "User", message: `Function not found: ${name}` },
      "ResourceNotFoundException",
    );
    return;
  }
  if (kind === "versions") {
    const start = Number(url.searchParams.get("Marker") ?? 0);
    const next = start + VERSIONS_PAGE;
    answer(response, 200, {
      Versions: fn.versions.slice(start, next).map((Version) => ({ Version })),
      ...(next < fn.versions.length ? { NextMarker: String(next) } : {}),
    });
    return;
  }
  if (!alias) return;
  if (operation === "UpdateAlias") {
    if (body.RevisionId !== alias.RevisionId) {
      answer(response, 412, { Type: "User", message: "revision changed" }, "PreconditionFailedException");
      return;
    }
    alias.FunctionVersion = String(body.FunctionVersion ?? alias.FunctionVersion);
    const weights = (body.RoutingConfig as FakeAlias["RoutingConfig"] | undefined)?.AdditionalVersionWeights;
    if (weights && Object.keys(weights).length === 0) delete alias.RoutingConfig;
    alias.RevisionId = `${alias.RevisionId}+`;
    if (fn.lostUpdateAnswers) {
      fn.lostUpdateAnswers -= 1;
      answer(response, 500, { Type: "Service", message: "connection reset" }, "ServiceException");
      return;
    }
  }
  answer(response, 200, { Name: aliasName, ...alias });
}

function jsonOperation(
  targets: FakeRollbackTargets,
  target: string,
  body: Record<string, unknown>,
  response: ServerResponse,
): void {
  const operation = target.split(".").at(-1) ?? target;
  targets.calls.push({ operation, body });
  if (operation === "PutParameter") {
    const name = String(body.Name);
    const version = (targets.parameters.get(name)?.version ?? 0) + 1;
    targets.parameters.set(name, { value: String(body.Value), version });
    answer(response, 200, { Version: version, Tier: "Standard" });
  } else if (operation === "UpdateEndpointWeightsAndCapacities") {
    answer(response, 200, {
      EndpointArn: `arn:aws:sagemaker:us-east-1:000000000000:endpoint/${body.EndpointName}`,
    });
  } else {
    answer(
      response,
      400,
      { __type: "UnknownOperationException", message: target },
      "UnknownOperationException",
    );
  }
}
