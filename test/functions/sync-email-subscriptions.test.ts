import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import {
  ConfirmSubscriptionCommand,
  CreateTopicCommand,
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  SubscribeCommand,
} from "@aws-sdk/client-sns";
import { DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { handler } from "#functions/sync-email-subscriptions";
import { dynamoDbClient, snsClient } from "#shared/aws/clients";
import { ALERT_EMAIL_ENV_VAR, alertsTopic, emailFilterPolicy, modelsTable } from "#shared/aws/resources";
import { tableName } from "#shared/config/environment";
import { lambdaContext } from "#shared/local/lambda-context";
import { logger } from "#shared/observability";
import { modelConfigSchema } from "#shared/schemas/model-config";
import { type StoredModel, saveModel } from "#shared/storage/model-store";
import { uniqueModelId } from "../support/stored-data.ts";

// The logger is built on import, before beforeAll hands this file the suite's environment.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = "ERROR";
});

let topicArn: string;

beforeAll(async () => {
  Object.assign(process.env, inject("awsEnvironment"));
  // A topic of its own, so no other test's subscriptions (or this file's strays) meet the assertions.
  ({ TopicArn: topicArn = "" } = await snsClient().send(
    new CreateTopicCommand({ Name: `driftwatch-alerts-email-sync-${process.pid}` }),
  ));
  process.env[alertsTopic.envVar] = topicArn;
});

afterEach(() => {
  vi.restoreAllMocks();
  delete process.env[ALERT_EMAIL_ENV_VAR];
});

let sequence = 0;
const uniqueAddress = (name: string) => `${name}-${process.pid}-${Date.now()}-${sequence++}@example.com`;

/** What the table holds now, per model, for the stream record's old image. */
const stored = new Map<string, StoredModel>();

/** Writes a model's config, then feeds the stream record the write produced to the handler. */
async function putModel(modelId: string, emails?: string[]) {
  const model: StoredModel = {
    modelId,
    config: modelConfigSchema.parse({ task: "classification", ...(emails ? { alerts: { emails } } : {}) }),
    updatedAt: new Date().toISOString(),
  };
  await saveModel(model);
  const previous = stored.get(modelId);
  stored.set(modelId, model);
  await sync(streamRecord(previous ? "MODIFY" : "INSERT", previous, model));
}

async function deleteModel(modelId: string) {
  await dynamoDbClient().send(new DeleteCommand({ TableName: tableName(modelsTable), Key: { modelId } }));
  const previous = stored.get(modelId);
  stored.delete(modelId);
  await sync(streamRecord("REMOVE", previous, undefined));
}

function streamRecord(
  eventName: DynamoDBRecord["eventName"],
  before: StoredModel | undefined,
  after: StoredModel | undefined,
): DynamoDBRecord {
  const image = (model: StoredModel | undefined) =>
    model && (marshall(model, { removeUndefinedValues: true }) as Record<string, AttributeValue>);
  const modelId = (after ?? before)?.modelId as string;
  return {
    eventName,
    eventSource: "aws:dynamodb",
    dynamodb: {
      Keys: { modelId: { S: modelId } },
      ...(before ? { OldImage: image(before) } : {}),
      ...(after ? { NewImage: image(after) } : {}),
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
  } as DynamoDBRecord;
}

const sync = (...records: DynamoDBRecord[]) =>
  handler({ Records: records } satisfies DynamoDBStreamEvent, lambdaContext("sync-email-subscriptions"));

interface Subscribed {
  arn: string;
  filterPolicy: Record<string, string[]> | undefined;
}

/** The topic's email subscriptions by address, as SNS holds them. */
async function emailSubscriptions(): Promise<Map<string, Subscribed>> {
  const { Subscriptions = [] } = await snsClient().send(
    new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
  );
  const byAddress = new Map<string, Subscribed>();
  for (const subscription of Subscriptions.filter((listed) => listed.Protocol === "email")) {
    const arn = subscription.SubscriptionArn as string;
    const { Attributes = {} } = await snsClient().send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }),
    );
    byAddress.set(subscription.Endpoint as string, {
      arn,
      filterPolicy: Attributes.FilterPolicy ? JSON.parse(Attributes.FilterPolicy) : undefined,
    });
  }
  return byAddress;
}

/** The address clicks its confirmation link (fauxqs takes the subscription's ARN as the token). */
async function confirm(address: string) {
  const subscription = (await emailSubscriptions()).get(address);
  if (!subscription) throw new Error(`${address} is not subscribed`);
  await snsClient().send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: subscription.arn }));
}

/** Subscribes `address` through SNS itself, as the stack or an earlier sync did, and confirms it. */
async function subscribeConfirmed(address: string, filterPolicy: Record<string, string[]>) {
  await snsClient().send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: "email",
      Endpoint: address,
      Attributes: { FilterPolicy: JSON.stringify(filterPolicy) },
    }),
  );
  await confirm(address);
}

describe("sync-email-subscriptions", () => {
  it("subscribes every address of a new model, each with that model's email filter policy", async () => {
    const modelId = uniqueModelId("emails");
    const [first, second] = [uniqueAddress("first"), uniqueAddress("second")];
    await putModel(modelId, [first, second]);
    const subscriptions = await emailSubscriptions();
    expect(subscriptions.get(first)?.filterPolicy).toEqual(emailFilterPolicy(modelId));
    expect(subscriptions.get(second)?.filterPolicy).toEqual(emailFilterPolicy(modelId));
  });

  it("unsubscribes an address taken out of the model's emails and subscribes the one put in", async () => {
    const modelId = uniqueModelId("emails");
    const [before, after] = [uniqueAddress("before"), uniqueAddress("after")];
    await putModel(modelId, [before]);
    await confirm(before);
    await putModel(modelId, [after]);
    const subscriptions = await emailSubscriptions();
    expect(subscriptions.has(before)).toBe(false);
    expect(subscriptions.get(after)?.filterPolicy).toEqual(emailFilterPolicy(modelId));
  });

  it("leaves a model's other settings alone: a change without new addresses changes no subscription", async () => {
    const modelId = uniqueModelId("emails");
    const address = uniqueAddress("steady");
    await putModel(modelId, [address]);
    const { arn } = (await emailSubscriptions()).get(address) as Subscribed;
    await putModel(modelId, [address]);
    expect((await emailSubscriptions()).get(address)?.arn).toBe(arn);
  });

  it("gives an address two models name one subscription that hears of both, until both let go of it", async () => {
    const [churn, fraud] = [uniqueModelId("churn"), uniqueModelId("fraud")];
    const shared = uniqueAddress("shared");
    await putModel(churn, [shared]);
    await confirm(shared);
    await putModel(fraud, [shared]);
    expect((await emailSubscriptions()).get(shared)?.filterPolicy).toEqual({
      ...emailFilterPolicy(),
      modelId: [churn, fraud].sort(),
    });
    await deleteModel(churn);
    expect((await emailSubscriptions()).get(shared)?.filterPolicy).toEqual(emailFilterPolicy(fraud));
    await putModel(fraud, []);
    expect((await emailSubscriptions()).has(shared)).toBe(false);
  });

  it("unsubscribes the addresses of a deleted model", async () => {
    const modelId = uniqueModelId("emails");
    const address = uniqueAddress("deleted");
    await putModel(modelId, [address]);
    await confirm(address);
    await deleteModel(modelId);
    expect((await emailSubscriptions()).has(address)).toBe(false);
  });

  it("leaves a subscription still awaiting confirmation, which SNS cannot unsubscribe, and warns", async () => {
    const warn = vi.spyOn(logger, "warn");
    const modelId = uniqueModelId("emails");
    const address = uniqueAddress("unconfirmed");
    await putModel(modelId, [address]);
    await putModel(modelId, []);
    expect((await emailSubscriptions()).has(address)).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      "Email subscription left as it is",
      expect.objectContaining({ type: "pending", address, reason: expect.stringMatching(/48 hours/) }),
    );
  });

  it("never touches the stack-level address's subscription, even when a model names the address too", async () => {
    const stackAddress = uniqueAddress("ops");
    await subscribeConfirmed(stackAddress, emailFilterPolicy());
    const modelId = uniqueModelId("emails");
    await putModel(modelId, [stackAddress]);
    expect((await emailSubscriptions()).get(stackAddress)?.filterPolicy).toEqual(emailFilterPolicy());
    await deleteModel(modelId);
    await handler({ resync: true }, lambdaContext("sync-email-subscriptions"));
    expect((await emailSubscriptions()).get(stackAddress)?.filterPolicy).toEqual(emailFilterPolicy());
  });

  it("resyncs on request: subscribes the addresses of models stored before the sync existed and removes DriftWatch's strays", async () => {
    const modelId = uniqueModelId("resync");
    const address = uniqueAddress("existing");
    await saveModel({
      modelId,
      config: modelConfigSchema.parse({ task: "regression", alerts: { emails: [address] } }),
      updatedAt: new Date().toISOString(),
    });
    const stray = uniqueAddress("stray");
    await subscribeConfirmed(stray, emailFilterPolicy(uniqueModelId("gone")));

    const result = await handler({ resync: true }, lambdaContext("sync-email-subscriptions"));

    const subscriptions = await emailSubscriptions();
    expect(subscriptions.get(address)?.filterPolicy).toEqual(emailFilterPolicy(modelId));
    expect(subscriptions.has(stray)).toBe(false);
    expect(result?.changes).toEqual(
      expect.arrayContaining([
        { type: "subscribed", address, modelIds: [modelId] },
        expect.objectContaining({ type: "unsubscribed", address: stray }),
      ]),
    );
  });
});
