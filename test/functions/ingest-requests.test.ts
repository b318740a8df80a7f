import { beforeEach, describe, expect, it } from "vitest";
import { useProxiedLocalApi } from "../support/proxied-local-api.ts";
import { sampleRecord } from "../support/records.ts";
import { predictionItems, uniqueModelId } from "../support/stored-data.ts";

/** The AWS requests one ingest request makes, counted on the wire: each is paid for on AWS. */
const proxied = useProxiedLocalApi();

let modelId: string;
beforeEach(async () => {
  modelId = uniqueModelId("requests");
  await proxied.send("PUT", `/v1/models/${modelId}`, { task: "regression" });
  proxied.dynamoDb.counts.clear();
  proxied.s3.counts.clear();
});

const withoutIds = (count: number) =>
  Array.from({ length: count }, (_, index) => {
    const { id: _id, ...record } = sampleRecord(index);
    return record;
  });

describe("the AWS requests of an ingest", () => {
  it("are one S3 PUT and ceil(n/25) BatchWriteItem calls, and one strongly consistent read per 100 ids the client sent", async () => {
    const records = Array.from({ length: 230 }, (_, index) => sampleRecord(index));

    expect((await proxied.send("POST", `/v1/models/${modelId}/predictions`, { records })).status).toBe(202);

    expect(proxied.s3.counts.get("S3 PUT")).toBe(1);
    expect(proxied.dynamoDb.counts.get("BatchWriteItem")).toBe(10);
    expect(proxied.dynamoDb.counts.get("BatchGetItem")).toBe(3);
  });

  it("read nothing to deduplicate records without ids, whose generated ids are new by construction", async () => {
    const answer = await proxied.send("POST", `/v1/models/${modelId}/predictions`, {
      records: withoutIds(120),
    });

    expect(answer.status).toBe(202);
    expect(answer.body.duplicates).toBe(0);
    expect(proxied.dynamoDb.counts.get("BatchGetItem")).toBeUndefined();
    expect(proxied.dynamoDb.counts.get("BatchWriteItem")).toBe(5);
    expect(await predictionItems(modelId)).toHaveLength(120);
  });

  it("read only the ids the client sent when a request mixes both, and still store a resent id once", async () => {
    const first = await proxied.send("POST", `/v1/models/${modelId}/predictions`, {
      records: [...withoutIds(150), sampleRecord(7)],
    });
    expect(first.body.duplicates).toBe(0);
    expect(proxied.dynamoDb.counts.get("BatchGetItem")).toBe(1);

    // The client resends one record under the id the first answer generated for it.
    const generated = first.body.ids[0] as string;
    const resent = await proxied.send("POST", `/v1/models/${modelId}/predictions`, {
      records: [{ ...withoutIds(1)[0], id: generated }, sampleRecord(7)],
    });

    expect(resent.body).toMatchObject({ accepted: 2, duplicates: 2 });
    expect(await predictionItems(modelId)).toHaveLength(151);
  });
});
