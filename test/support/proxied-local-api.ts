import { afterAll, beforeAll, inject } from "vitest";
import { startLocalApi } from "#shared/local/api-gateway";
import { type AwsProxy, startAwsProxy } from "./aws-proxy.ts";
import { ADMIN_TOKEN, type ApiAnswer } from "./local-api.ts";

export interface ProxiedLocalApi {
  /** In front of DynamoDB Local and of S3 (fauxqs): counting requests, failing chosen ones. */
  dynamoDb: AwsProxy;
  s3: AwsProxy;
  /** A request to the local API as the admin, with a JSON body. */
  send: (method: string, path: string, body: unknown) => Promise<ApiAnswer>;
}

/**
 * The local API over the real handlers, whose DynamoDB and S3 requests pass through proxies on
 * 127.0.0.1, for the tests of a file; everything is stopped after them. The SDK gives up after 2
 * attempts, so a fault a test injects reaches the handler quickly.
 */
export function useProxiedLocalApi(): ProxiedLocalApi {
  let apiUrl = "";
  let closeApi: (() => Promise<void>) | undefined;
  const harness = {
    send: async (method: string, path: string, body: unknown) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
  } as ProxiedLocalApi;

  beforeAll(async () => {
    const environment = inject("awsEnvironment");
    harness.dynamoDb = await startAwsProxy(environment.AWS_ENDPOINT_URL_DYNAMODB as string);
    harness.s3 = await startAwsProxy(environment.AWS_ENDPOINT_URL as string);
    Object.assign(process.env, environment, {
      AWS_ENDPOINT_URL_DYNAMODB: harness.dynamoDb.url,
      AWS_ENDPOINT_URL: harness.s3.url,
      DRIFTWATCH_AWS_MAX_ATTEMPTS: "2",
    });
    const api = await startLocalApi(0);
    apiUrl = api.url;
    closeApi = api.close;
  });
  afterAll(async () => {
    await closeApi?.();
    await harness.dynamoDb?.close();
    await harness.s3?.close();
  });
  return harness;
}
