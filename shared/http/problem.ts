import type { APIGatewayProxyResultV2 } from "aws-lambda";
import type { FieldError } from "#shared/schemas/problem";

export type { FieldError } from "#shared/schemas/problem";

/**
 * A refusal the client can act on. Every domain error is one of these subclasses, mapped to its
 * HTTP status here and nowhere else.
 */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = "HttpProblem";
  }
}

export class ValidationProblem extends HttpProblem {
  constructor(detail: string, errors: FieldError[]) {
    super(400, "Invalid request", detail, errors);
  }
}

export class UnauthorizedProblem extends HttpProblem {
  constructor(detail: string) {
    super(401, "Unauthorized", detail, undefined, { "www-authenticate": 'Bearer realm="driftwatch"' });
  }
}

export class ForbiddenProblem extends HttpProblem {
  constructor(detail: string) {
    super(403, "Forbidden", detail);
  }
}

export class NotFoundProblem extends HttpProblem {
  constructor(detail: string) {
    super(404, "Not found", detail);
  }
}

export class ConflictProblem extends HttpProblem {
  constructor(detail: string) {
    super(409, "Conflict", detail);
  }
}

export class PayloadTooLargeProblem extends HttpProblem {
  constructor(detail: string) {
    super(413, "Payload too large", detail);
  }
}

export class UnsupportedMediaTypeProblem extends HttpProblem {
  constructor(detail: string) {
    super(415, "Unsupported media type", detail);
  }
}

export class ServiceUnavailableProblem extends HttpProblem {
  constructor(detail: string, retryAfterSeconds = 5) {
    super(503, "Service unavailable", detail, undefined, { "retry-after": String(retryAfterSeconds) });
  }
}

export function problemResponse(problem: HttpProblem): APIGatewayProxyResultV2 {
  return {
    statusCode: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
    body: JSON.stringify({
      // The status and title say it all, which RFC 9457 spells "about:blank".
      type: "about:blank",
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(problem.errors ? { errors: problem.errors } : {}),
    }),
  };
}

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}
