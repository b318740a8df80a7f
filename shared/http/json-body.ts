import type { APIGatewayProxyEventV2 } from "aws-lambda";
import { PayloadTooLargeProblem, UnsupportedMediaTypeProblem, ValidationProblem } from "./problem.ts";

/** Lambda's synchronous payload limit; a larger body could never have reached a function on AWS. */
export const MAX_BODY_BYTES = 6 * 1024 * 1024;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** The request body as JSON, or a 4xx problem saying exactly why it is not usable. */
export function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  // API Gateway (payload format 2.0) hands over header names in lower case.
  const contentType = event.headers?.["content-type"];
  if (!contentType || !JSON_MEDIA_TYPE.test(contentType)) {
    throw new UnsupportedMediaTypeProblem(
      `Content-Type must be application/json, got ${contentType ? `"${contentType}"` : "none"}`,
    );
  }
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? "", "base64")
    : Buffer.from(event.body ?? "", "utf8");
  if (raw.byteLength > MAX_BODY_BYTES) {
    throw new PayloadTooLargeProblem(`Body is ${raw.byteLength} bytes; the limit is ${MAX_BODY_BYTES} bytes`);
  }
  const text = raw.toString("utf8");
  if (text.trim() === "") {
    throw new ValidationProblem("The request body is empty", [
      { path: "(body)", message: "a JSON body is required" },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ValidationProblem("The request body is not valid JSON", [
      { path: "(body)", message: (error as SyntaxError).message },
    ]);
  }
}

/** The JSON body when the request has one; undefined for an empty body (an optional body's absence). */
export function readOptionalJsonBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.isBase64Encoded
    ? Buffer.from(event.body ?? "", "base64").toString("utf8")
    : (event.body ?? "");
  return raw.trim() === "" ? undefined : readJsonBody(event);
}
