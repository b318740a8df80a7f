import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, useLocalApi } from "../support/local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { loggedRecords, predictionItems, uniqueModelId } from "../support/stored-data.ts";

const call = useLocalApi();

const CLIENTS = 20;
const REQUESTS_PER_CLIENT = 20;
const RECORDS_PER_REQUEST = 50;

describe("concurrent ingestion", () => {
  it(`reconciles ${CLIENTS} clients x ${REQUESTS_PER_CLIENT} requests x ${RECORDS_PER_REQUEST} records, each client retrying one request`, async () => {
    const modelId = uniqueModelId("load");
    await call("PUT", `/v1/models/${modelId}`, { token: ADMIN_TOKEN, body: { task: "regression" } });
    const send = (records: unknown[]) =>
      call("POST", `/v1/models/${modelId}/predictions`, { token: ADMIN_TOKEN, body: { records } });

    const answers = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const batches = Array.from({ length: REQUESTS_PER_CLIENT }, (_, request) =>
          Array.from({ length: RECORDS_PER_REQUEST }, (_, index) =>
            sampleRecord(0, { id: `c${client}-r${request}-${index}` }),
          ),
        );
        const clientAnswers = [];
        for (const batch of [...batches, batches[client % REQUESTS_PER_CLIENT] as unknown[]]) {
          clientAnswers.push(await send(batch));
        }
        return clientAnswers;
      }),
    );

    const flat = answers.flat();
    expect(flat.every((answer) => answer.status === 202)).toBe(true);
    const newlyStored = flat.reduce((sum, answer) => sum + answer.body.accepted - answer.body.duplicates, 0);
    const expected = CLIENTS * REQUESTS_PER_CLIENT * RECORDS_PER_REQUEST;
    expect(newlyStored).toBe(expected);
    expect(flat.reduce((sum, answer) => sum + answer.body.duplicates, 0)).toBe(CLIENTS * RECORDS_PER_REQUEST);

    const logged = await loggedRecords(modelId);
    expect(logged).toHaveLength(expected);
    expect(new Set(logged.map((record) => record.id)).size).toBe(expected);
    const items = await predictionItems(modelId);
    expect(items).toHaveLength(expected);
  }, 240_000);
});
