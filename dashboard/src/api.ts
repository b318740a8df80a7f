import type { Problem } from "./api-types.ts";
import { sentence } from "./format.ts";

/** A refusal of the API (or no answer at all, status 0), in words a user can act on. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string): Promise<T>;
}

/**
 * The API at `baseUrl` as `token` sees it. A 401 (a revoked or mistyped token, an expired session)
 * is also told to `onUnauthorized`, which sends the user back to sign in, before the call rejects.
 */
export function createApi(baseUrl: string, token: string, onUnauthorized: (detail: string) => void): Api {
  async function request<T>(method: string, path: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, accept: "application/json" },
      });
    } catch (error) {
      throw new ApiError(0, `Could not reach the API at ${baseUrl}: ${(error as Error).message}`);
    }
    if (response.ok) return (await response.json()) as T;
    const error = new ApiError(response.status, await describeRefusal(response));
    if (response.status === 401) onUnauthorized(error.message);
    throw error;
  }
  return {
    get: (path) => request("GET", path),
    post: (path) => request("POST", path),
  };
}

/** The problem's `detail` (and the fields it names), or what little a bare gateway answer says. */
async function describeRefusal(response: Response): Promise<string> {
  let problem: Partial<Problem> & { message?: string } = {};
  try {
    problem = (await response.json()) as typeof problem;
  } catch {
    // Not JSON: only the status is known.
  }
  const detail = problem.detail ?? problem.message ?? problem.title ?? response.statusText;
  const fields = (problem.errors ?? []).map((error) => `${error.path}: ${error.message}`);
  return sentence([detail || `The API answered ${response.status}`, ...fields].join("; "));
}
