import { afterAll, beforeAll, inject } from "vitest";
import { type LocalApi, startLocalApi } from "#shared/local/api-gateway";
import { uniqueModelId } from "./stored-data.ts";

export const ADMIN_TOKEN = "test-admin-token";

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  body: any;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
}

export type CallApi = (method: string, path: string, options?: RequestOptions) => Promise<ApiAnswer>;

/**
 * Points this test file's process at the shared emulators and serves the real handlers through
 * the local API Gateway on a free port, closed after the file's tests. The returned function calls
 * it; its `url` and `dashboardUrl` say where it listens (once the file's tests run).
 */
export function useLocalApi(): CallApi & { readonly url: string; readonly dashboardUrl: string } {
  let api: LocalApi;
  beforeAll(async () => {
    Object.assign(process.env, inject("awsEnvironment"));
    api = await startLocalApi(0);
  });
  afterAll(async () => {
    await api?.close();
  });

  async function call(method: string, path: string, options: RequestOptions = {}): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] ??= "application/json";
    }
    const response = await fetch(`${api.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the test sees the raw text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }
  return Object.defineProperties(call, {
    url: { get: () => api.url },
    dashboardUrl: { get: () => api.dashboardUrl },
  }) as CallApi & { readonly url: string; readonly dashboardUrl: string };
}

/** Creates a classification model with a unique id through the API at `apiUrl`; returns the id. */
export async function createClassificationModel(apiUrl: string, name: string): Promise<string> {
  const modelId = uniqueModelId(name);
  const answer = await fetch(`${apiUrl}/v1/models/${modelId}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ task: "classification" }),
  });
  if (answer.status !== 200)
    throw new Error(`creating model ${modelId}: ${answer.status} ${await answer.text()}`);
  return modelId;
}
