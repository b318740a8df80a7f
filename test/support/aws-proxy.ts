import { createServer, request as forward, type IncomingMessage } from "node:http";
import { listenOnLoopback } from "./loopback-server.ts";

export interface AwsProxy {
  url: string;
  /** While set, requests it matches get a 500 from "AWS" instead of reaching the emulator. */
  failWhen: (predicate: ((request: IncomingMessage) => boolean) | undefined) => void;
  /** How many requests of each operation passed (e.g. "BatchWriteItem", "S3 PUT"), since the last reset. */
  counts: Map<string, number>;
  close: () => Promise<void>;
}

/**
 * A pass-through HTTP proxy on 127.0.0.1 in front of an emulator that counts requests by
 * operation and can fail chosen ones the way AWS does (500 InternalServerError / InternalError), so fault handling is tested on the real wire protocol.
 */
export async function startAwsProxy(target: string): Promise<AwsProxy> {
  const upstream = new URL(target);
  let failing: ((request: IncomingMessage) => boolean) | undefined;
  const counts = new Map<string, number>();
  const server = createServer((request, response) => {
    const operation = operationOf(request);
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    if (failing?.(request)) {
      request.resume();
      const json = String(request.headers["content-type"] ?? "").includes("x-amz-json");
      response.writeHead(500, { "content-type": json ? "application/x-amz-json-1.0" : "application/xml" });
      response.end(
        json
          ? JSON.stringify({
              __type: "com.amazonaws.dynamodb.v20120810#InternalServerError",
              message: "injected fault",
            })
          : "<Error><Code>InternalError</Code><Message>injected fault</Message></Error>",
      );
      return;
    }
    const proxied = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(response);
      },
    );
    proxied.on("error", () => response.destroy());
    request.pipe(proxied);
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    counts,
    failWhen: (predicate) => {
      failing = predicate;
    },
    close,
  };
}

/** The AWS operation of a request: DynamoDB's X-Amz-Target action, or "S3 <method>". */
export function operationOf(request: IncomingMessage): string {
  const target = request.headers["x-amz-target"];
  return target ? (String(target).split(".").pop() ?? String(target)) : `S3 ${request.method}`;
}

/** Matches one DynamoDB operation by its X-Amz-Target header, e.g. "BatchWriteItem". */
export const dynamoDbOperation = (operation: string) => (request: IncomingMessage) =>
  String(request.headers["x-amz-target"] ?? "").endsWith(`.${operation}`);

/** Matches S3 PutObject requests. */
export const s3PutObject = (request: IncomingMessage) =>
  request.method === "PUT" &&
  !String(request.headers["content-type"] ?? "").includes("x-www-form-urlencoded");
