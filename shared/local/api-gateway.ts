import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyResultV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from "aws-lambda";
import { authorizerHandler, type RouteDefinition, routes } from "#shared/http/routes";
import { DASHBOARD_PATH, serveDashboard } from "./dashboard-site.ts";
import { loadHandler } from "./handler-modules.ts";
import { lambdaContext } from "./lambda-context.ts";

/** API Gateway's own limit on an HTTP API request body. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
const TEXT_MEDIA_TYPE = /^(text\/|application\/([\w.+-]*json|[\w.+-]*xml|javascript|x-www-form-urlencoded))/i;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameters: string[];
}

const compiled: CompiledRoute[] = routes.map((route) => {
  const parameters: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    parameters.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}$`), parameters };
});

class GatewayResponse extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

function match(method: string, path: string) {
  for (const { route, pattern, parameters } of compiled) {
    if (route.method !== method) continue;
    const found = pattern.exec(path);
    if (!found) continue;
    const pathParameters: Record<string, string> = {};
    parameters.forEach((name, index) => {
      const raw = found[index + 1] as string;
      try {
        pathParameters[name] = decodeURIComponent(raw);
      } catch {
        pathParameters[name] = raw;
      }
    });
    return { route, pathParameters };
  }
  throw new GatewayResponse(404, "Not Found");
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) throw new GatewayResponse(413, "Request Entity Too Large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(",") : value;
  }
  return headers;
}

/** The payload-format-2.0 event API Gateway would send for this request. */
function proxyEvent(
  request: IncomingMessage,
  body: Buffer,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
) {
  const url = new URL(request.url ?? "/", "http://localhost");
  const headers = headersOf(request);
  const routeKey = `${route.method} ${route.path}`;
  const now = new Date();
  const isText = TEXT_MEDIA_TYPE.test(headers["content-type"] ?? "text/plain");
  const queryStringParameters = Object.fromEntries(
    [...new Set(url.searchParams.keys())].map((key) => [key, url.searchParams.getAll(key).join(",")]),
  );
  const event: APIGatewayProxyEventV2 = {
    version: "2.0",
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(queryStringParameters).length ? { queryStringParameters } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      domainName: headers.host ?? "127.0.0.1",
      domainPrefix: "local",
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        userAgent: headers["user-agent"] ?? "",
      },
      requestId: randomUUID(),
      routeKey,
      stage: "$default",
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: body.length > 0 && !isText,
    ...(body.length > 0 ? { body: isText ? body.toString("utf8") : body.toString("base64") } : {}),
  };
  return event;
}

async function authorize(event: APIGatewayProxyEventV2): Promise<unknown> {
  // API Gateway answers 401 itself, without calling the authorizer, when the identity source is absent.
  if (!event.headers.authorization) throw new GatewayResponse(401, "Unauthorized");
  const authorizerEvent: APIGatewayRequestAuthorizerEventV2 = {
    version: "2.0",
    type: "REQUEST",
    routeArn: `arn:aws:execute-api:us-east-1:000000000000:local/$default/${event.requestContext.http.method}${event.rawPath}`,
    identitySource: [event.headers.authorization],
    routeKey: event.routeKey,
    rawPath: event.rawPath,
    rawQueryString: event.rawQueryString,
    cookies: [],
    headers: event.headers,
    queryStringParameters: event.queryStringParameters ?? {},
    requestContext: event.requestContext,
    pathParameters: event.pathParameters ?? {},
    stageVariables: {},
  };
  const authorizer = await loadHandler(authorizerHandler);
  const result: APIGatewaySimpleAuthorizerWithContextResult<unknown> = await authorizer(
    authorizerEvent,
    lambdaContext(authorizerHandler),
  );
  if (!result.isAuthorized) throw new GatewayResponse(403, "Forbidden");
  return result.context;
}

function send(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  // A handler returning a bare value gets API Gateway's inferred 200 JSON response.
  const structured: APIGatewayProxyStructuredResultV2 =
    typeof result === "object" && result !== null && "statusCode" in result
      ? result
      : { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(result) };
  const body = structured.body
    ? Buffer.from(structured.body, structured.isBase64Encoded ? "base64" : "utf8")
    : Buffer.alloc(0);
  response.writeHead(structured.statusCode ?? 200, {
    ...Object.fromEntries(
      Object.entries(structured.headers ?? {}).map(([key, value]) => [key, String(value)]),
    ),
    "content-length": String(body.length),
  });
  response.end(body);
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    // API Gateway serves no web pages; on AWS the dashboard lies in its own bucket.
    if (await serveDashboard(request, response)) return;
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const { route, pathParameters } = match(request.method ?? "GET", path);
    const event = proxyEvent(request, await readBody(request), route, pathParameters);
    if (route.authorized)
      event.requestContext = {
        ...event.requestContext,
        authorizer: { lambda: await authorize(event) },
      } as typeof event.requestContext;
    const handler = await loadHandler(route.handler);
    send(response, await handler(event, lambdaContext(route.handler)));
  } catch (error) {
    const gateway =
      error instanceof GatewayResponse ? error : new GatewayResponse(500, "Internal Server Error");
    if (!(error instanceof GatewayResponse))
      process.stderr.write(`Handler failed: ${(error as Error).stack}\n`);
    send(response, {
      statusCode: gateway.statusCode,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: gateway.message }),
    });
  }
}

export interface LocalApi {
  url: string;
  /** The web dashboard, served by the same server (same origin as the API). */
  dashboardUrl: string;
  close: () => Promise<void>;
}

/**
 * Serves the routes of `routes.ts` on 127.0.0.1 the way API Gateway does: each request becomes a
 * payload-format-2.0 event, passes the same Lambda authorizer, and reaches the same handler module.
 * The web dashboard is served beside them, at /dashboard/.
 */
export function startLocalApi(port: number): Promise<LocalApi> {
  const server = createServer((request, response) => void handle(request, response));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      const actualPort = typeof address === "object" && address ? address.port : port;
      const url = `http://127.0.0.1:${actualPort}`;
      resolve({
        url,
        dashboardUrl: `${url}${DASHBOARD_PATH}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
