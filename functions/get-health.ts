import { apiHandler } from "#shared/http/api-handler";
import { jsonResponse } from "#shared/http/problem";

export const handler = apiHandler(async () => jsonResponse(200, { status: "ok" }));
