import { describe, expect, it } from "vitest";
import {
  desiredEmailSubscriptions,
  type EmailSubscription,
  emailSubscriptionFilterPolicy,
  MAX_MODELS_PER_ADDRESS,
  planEmailSubscriptions,
} from "#shared/alerts/email-subscriptions";
import { emailFilterPolicy } from "#shared/aws/resources";

const managed = (address: string, modelIds: string[], arn = `arn:aws:sns:us-east-1:1:alerts:${address}`) =>
  ({
    address,
    arn,
    pendingConfirmation: false,
    filterPolicy: JSON.stringify(emailSubscriptionFilterPolicy(modelIds)),
    modelIds,
  }) satisfies EmailSubscription;

describe("the email subscriptions the models want", () => {
  it("gathers, per address, every model that names it", () => {
    const desired = desiredEmailSubscriptions([
      { modelId: "fraud", emails: ["ops@example.com", "fraud@example.com"] },
      { modelId: "churn", emails: ["ops@example.com", "ops@example.com"] },
    ]);
    expect(Object.fromEntries(desired)).toEqual({
      "ops@example.com": ["churn", "fraud"],
      "fraud@example.com": ["fraud"],
    });
  });

  it("filters a single model's address exactly as emailFilterPolicy(modelId) does", () => {
    expect(emailSubscriptionFilterPolicy(["churn"])).toEqual(emailFilterPolicy("churn"));
    expect(emailSubscriptionFilterPolicy(["fraud", "churn"]).modelId).toEqual(["churn", "fraud"]);
  });
});

describe("planning the email subscriptions", () => {
  it("subscribes new addresses, widens a shared one and unsubscribes one no model names", () => {
    const desired = new Map([
      ["new@example.com", ["churn"]],
      ["shared@example.com", ["churn", "fraud"]],
    ]);
    const existing = [managed("shared@example.com", ["churn"]), managed("old@example.com", ["churn"])];
    expect(planEmailSubscriptions(desired, existing)).toEqual([
      { type: "subscribed", address: "new@example.com", modelIds: ["churn"] },
      { type: "unsubscribed", address: "old@example.com", arn: existing[1]?.arn },
      {
        type: "updated",
        address: "shared@example.com",
        arn: existing[0]?.arn,
        modelIds: ["churn", "fraud"],
      },
    ]);
  });

  it("changes nothing for a policy SNS holds with its keys and values in another order", () => {
    const reordered = {
      ...managed("ops@example.com", ["churn", "fraud"]),
      filterPolicy: JSON.stringify({
        modelId: ["fraud", "churn"],
        severity: [...(emailFilterPolicy().severity ?? [])].reverse(),
        format: ["text"],
      }),
    };
    expect(planEmailSubscriptions(new Map([["ops@example.com", ["churn", "fraud"]]]), [reordered])).toEqual(
      [],
    );
  });

  it("touches only the addresses in scope", () => {
    const existing = [managed("other@example.com", ["churn"])];
    const plan = planEmailSubscriptions(new Map([["mine@example.com", ["fraud"]]]), existing, {
      scope: new Set(["mine@example.com"]),
    });
    expect(plan).toEqual([{ type: "subscribed", address: "mine@example.com", modelIds: ["fraud"] }]);
  });

  it("cannot remove or change a subscription SNS lists as PendingConfirmation, and says why", () => {
    const listedWithoutArn: EmailSubscription = {
      address: "unconfirmed@example.com",
      pendingConfirmation: true,
    };
    expect(planEmailSubscriptions(new Map(), [listedWithoutArn])).toEqual([
      expect.objectContaining({ type: "pending", address: "unconfirmed@example.com", wanted: [] }),
    ]);
    const readablePending = { ...managed("waiting@example.com", ["churn"]), pendingConfirmation: true };
    expect(
      planEmailSubscriptions(new Map([["waiting@example.com", ["churn", "fraud"]]]), [readablePending]),
    ).toEqual([expect.objectContaining({ type: "pending", reason: expect.stringMatching(/resync/) })]);
  });

  it("does not subscribe again an address already waiting for its confirmation", () => {
    const listedWithoutArn: EmailSubscription = {
      address: "unconfirmed@example.com",
      pendingConfirmation: true,
    };
    expect(
      planEmailSubscriptions(new Map([["unconfirmed@example.com", ["churn"]]]), [listedWithoutArn]),
    ).toEqual([]);
  });

  it("leaves the stack-level address alone, by its policy without modelId or by the stack's setting", () => {
    const stack: EmailSubscription = {
      address: "ops@example.com",
      arn: "arn:aws:sns:us-east-1:1:alerts:ops",
      pendingConfirmation: false,
      filterPolicy: JSON.stringify(emailFilterPolicy()),
    };
    expect(planEmailSubscriptions(new Map([["ops@example.com", ["churn"]]]), [stack])).toEqual([
      { type: "unmanaged", address: "ops@example.com", wanted: ["churn"] },
    ]);
    expect(planEmailSubscriptions(new Map(), [stack])).toEqual([]);
    const unconfirmedStack: EmailSubscription = { address: "ops@example.com", pendingConfirmation: true };
    expect(
      planEmailSubscriptions(new Map(), [unconfirmedStack], { stackAddress: "ops@example.com" }),
    ).toEqual([]);
  });

  it("refuses an address more models name than one filter policy can hold", () => {
    const modelIds = Array.from({ length: MAX_MODELS_PER_ADDRESS + 1 }, (_, index) => `model-${index}`);
    expect(MAX_MODELS_PER_ADDRESS).toBe(50);
    expect(planEmailSubscriptions(new Map([["everyone@example.com", modelIds]]), [])).toEqual([
      expect.objectContaining({ type: "refused", address: "everyone@example.com" }),
    ]);
  });
});
