import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditTrail } from "#shared/alerts/action-audit";
import { CLAIM_LEASE_SECONDS, claimEpisode, recordIntent } from "#shared/alerts/episode-claims";
import { ROLLBACK_ALLOWED_ENV_VAR } from "#shared/alerts/rollback/grants";
import { rollbackQueue } from "#shared/aws/resources";
import type { Notification } from "#shared/schemas/alert";
import { createModel, useAlertActionHarness } from "../support/alert-actions.ts";
import { invokeWithRecords, snsDelivery } from "../support/alert-deliveries.ts";
import {
  type FakeAlias,
  type FakeFunction,
  type FakeRollbackTargets,
  startFakeRollbackTargets,
} from "../support/fake-rollback-targets.ts";
import { sampleNotification } from "../support/notifications.ts";
import { uniqueModelId } from "../support/stored-data.ts";

const harness = useAlertActionHarness(ROLLBACK_ALLOWED_ENV_VAR);
const { webhook } = harness;
let aws: FakeRollbackTargets;

beforeAll(async () => {
  aws = await startFakeRollbackTargets();
  // Read when the handler first builds these clients, which no test has done yet.
  for (const service of ["LAMBDA", "SSM", "SAGEMAKER"]) process.env[`AWS_ENDPOINT_URL_${service}`] = aws.url;
});
afterAll(async () => {
  await aws?.close();
});

/** A firing rollback notification of the model's alert `rule` (its episode 1 unless told). */
function firing(modelId: string, rule: string, episode = 1): Notification {
  const alertId = `${modelId}~${rule}`;
  return sampleNotification({
    modelId,
    alertId,
    episode,
    notificationId: `${alertId}#${episode}#firing`,
  });
}

const deliver = (notification: Notification | string) =>
  invokeWithRecords(rollbackQueue.handler, snsDelivery(notification, rollbackQueue.localName));

describe("roll-back-model", () => {
  it("posts a webhook rollback once per alert episode, even when the message is delivered twice", async () => {
    const hook = webhook("once");
    const modelId = await createModel("rollback-once", { rollback: { type: "webhook", url: hook.url } });
    const notification = firing(modelId, "drift-share");

    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });
    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });

    expect(hook.posts()).toHaveLength(1);
    const [post] = hook.posts();
    expect(post?.body).toMatchObject({
      action: "rollback",
      modelId,
      alertId: notification.alertId,
      episode: 1,
      rule: "drift-share",
      metric: "drift.share",
      value: 0.5,
      threshold: 0.2,
      reason: "drift.share 0.5 > 0.2 (rule drift-share)",
    });
    expect(post?.headers["idempotency-key"]).toBe(`rollback#${notification.alertId}#1`);
    const audits = await auditTrail(modelId, "rollback");
    expect(audits).toEqual([
      expect.objectContaining({
        alertId: notification.alertId,
        rule: "drift-share",
        value: 0.5,
        target: { type: "webhook", url: harness.receiver.url },
        outcome: "done",
        detail: `the rollback webhook at ${harness.receiver.url} accepted it (200)`,
      }),
    ]);
  });

  it("suppresses a second alert's rollback within the cooldown, and audits it", async () => {
    const hook = webhook("cooldown");
    const modelId = await createModel("rollback-cooldown", { rollback: { type: "webhook", url: hook.url } });
    const first = firing(modelId, "a-drift-share");
    const second = firing(modelId, "b-latency");

    await deliver(first);
    expect(await deliver(second)).toEqual({ batchItemFailures: [] });

    expect(hook.posts().map((post) => (post.body as { alertId: string }).alertId)).toEqual([first.alertId]);
    const audits = await auditTrail(modelId, "rollback");
    expect(audits.map((audit) => [audit.alertId, audit.outcome])).toEqual([
      [first.alertId, "done"],
      [second.alertId, "suppressed"],
    ]);
    expect(audits[1]?.detail).toMatch(
      new RegExp(
        `^another rollback at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z \\(alert ${first.alertId}\\) within the cooldown of 3600 s$`,
      ),
    );
  });

  it("rolls back again for a new episode once the cooldown has passed", async () => {
    const hook = webhook("after-cooldown");
    const modelId = await createModel("rollback-after-cooldown", {
      cooldownSeconds: 1,
      rollback: { type: "webhook", url: hook.url },
    });

    await deliver(firing(modelId, "drift-share", 1));
    await deliver(firing(modelId, "drift-share", 2));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await deliver(firing(modelId, "drift-share", 3));

    expect(hook.posts().map((post) => (post.body as { episode: number }).episode)).toEqual([1, 3]);
    const outcomes = (await auditTrail(modelId, "rollback")).map((audit) => [audit.episode, audit.outcome]);
    expect(outcomes).toEqual([
      [1, "done"],
      [2, "suppressed"],
      [3, "done"],
    ]);
  });

  it("refuses a target the deployment was not granted, audits it and does not retry it", async () => {
    process.env[ROLLBACK_ALLOWED_ENV_VAR] = JSON.stringify({ lambdaFunctions: ["churn-scorer"] });
    const modelId = await createModel("rollback-refused", {
      rollback: { type: "lambda-alias", functionName: "fraud-scorer", alias: "live" },
    });
    const notification = firing(modelId, "drift-share");

    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });
    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });

    expect(await auditTrail(modelId, "rollback")).toEqual([
      expect.objectContaining({
        target: { type: "lambda-alias", functionName: "fraud-scorer", alias: "live" },
        outcome: "failed",
        detail:
          'refused: the deployment was not granted the Lambda function "fraud-scorer" (DRIFTWATCH_ROLLBACK_ALLOWED lambdaFunctions: churn-scorer); add it to the stack\'s rollback grants and redeploy',
      }),
    ]);
    expect(harness.loggedErrors).toHaveBeenCalledWith(
      "Rollback refused; not retried, it would fail again",
      expect.objectContaining({ modelId, outcome: "failed" }),
    );
  });

  it("leaves the cooldown free after a refused rollback, for the next alert's", async () => {
    const hook = webhook("after-refusal", [404, 200]);
    const modelId = await createModel("rollback-after-refusal", {
      rollback: { type: "webhook", url: hook.url },
    });

    await deliver(firing(modelId, "a-drift-share"));
    await deliver(firing(modelId, "b-latency"));

    expect(hook.posts().map((post) => post.status)).toEqual([404, 200]);
    const audits = await auditTrail(modelId, "rollback");
    expect(audits.map((audit) => audit.outcome)).toEqual(["failed", "done"]);
    expect(audits[0]?.detail).toBe(
      `refused: the rollback webhook at ${harness.receiver.url} answered 404: no`,
    );
  });

  it("rolls back once through a webhook that fails twice and then succeeds", async () => {
    const hook = webhook("flaky", [503, 503, 200]);
    const modelId = await createModel("rollback-flaky", { rollback: { type: "webhook", url: hook.url } });

    expect(await deliver(firing(modelId, "drift-share"))).toEqual({ batchItemFailures: [] });

    expect(hook.posts().map((post) => post.status)).toEqual([503, 503, 200]);
    const audits = await auditTrail(modelId, "rollback");
    expect(audits.map((audit) => audit.outcome)).toEqual(["done"]);
  });

  it("reports a webhook failure for redelivery, which then rolls back", async () => {
    const hook = webhook("redelivered", [500, 200]);
    const modelId = await createModel("rollback-redelivered", {
      rollback: { type: "webhook", url: hook.url },
    });
    const record = snsDelivery(firing(modelId, "drift-share"), rollbackQueue.localName);

    expect(await invokeWithRecords(rollbackQueue.handler, record)).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(harness.loggedErrors).toHaveBeenCalledWith(
      "Rollback failed; SQS redelivers the message",
      expect.objectContaining({ messageId: record.messageId, modelId }),
    );
    expect(await invokeWithRecords(rollbackQueue.handler, record)).toEqual({ batchItemFailures: [] });

    expect(hook.posts().map((post) => post.status)).toEqual([500, 200]);
    const audits = await auditTrail(modelId, "rollback");
    expect(audits.map((audit) => audit.outcome)).toEqual(["failed", "done"]);
    expect(audits[0]?.detail).toBe(
      `the rollback webhook at ${harness.receiver.url} answered 500: no; to be retried on the message's redelivery`,
    );
  });

  it("skips a model without a rollback target with a warning, and audits it", async () => {
    const modelId = await createModel("rollback-no-target", {});

    expect(await deliver(firing(modelId, "drift-share"))).toEqual({ batchItemFailures: [] });

    expect(await auditTrail(modelId, "rollback")).toEqual([
      expect.objectContaining({
        target: {},
        outcome: "skipped",
        detail: "no rollback target: the model's config has no alerts.rollback",
      }),
    ]);
    expect(harness.loggedWarnings).toHaveBeenCalledWith(
      "Rollback skipped",
      expect.objectContaining({ modelId }),
    );
  });

  it("reports a message that is no notification for redelivery, and on to the dead-letter queue", async () => {
    const record = snsDelivery("{not json", rollbackQueue.localName);

    expect(await invokeWithRecords(rollbackQueue.handler, record)).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(harness.loggedErrors).toHaveBeenCalledWith(
      "Rollback failed; SQS redelivers the message",
      expect.objectContaining({ messageId: record.messageId }),
    );
  });

  it("asks for redelivery while another invocation holds the episode, and acts once it is gone", async () => {
    const hook = webhook("busy");
    const modelId = await createModel("rollback-busy", { rollback: { type: "webhook", url: hook.url } });
    const notification = firing(modelId, "drift-share");
    const record = snsDelivery(notification, rollbackQueue.localName);
    // An invocation that started a lease ago and died holding the claim (a timeout, a crash).
    const died = new Date(Date.now() - (CLAIM_LEASE_SECONDS + 1) * 1000);
    expect((await claimEpisode("rollback", notification, died)).status).toBe("claimed");

    // A fresh claim is another invocation at work: this delivery waits for its redelivery.
    const running = { ...notification, alertId: `${notification.alertId}-running` };
    expect((await claimEpisode("rollback", running, new Date())).status).toBe("claimed");
    const waiting = snsDelivery(running, rollbackQueue.localName);
    expect(await invokeWithRecords(rollbackQueue.handler, waiting)).toEqual({
      batchItemFailures: [{ itemIdentifier: waiting.messageId }],
    });
    expect(harness.loggedWarnings).toHaveBeenCalledWith(
      "Rollback in progress in another invocation; SQS redelivers the message",
      expect.objectContaining({ alertId: running.alertId }),
    );

    // The dead invocation's claim is past its lease: the redelivery takes it over.
    expect(await invokeWithRecords(rollbackQueue.handler, record)).toEqual({ batchItemFailures: [] });
    expect(hook.posts()).toHaveLength(1);
    expect((await auditTrail(modelId, "rollback")).map((audit) => audit.outcome)).toEqual(["done"]);
  });
});

describe("roll-back-model on AWS targets", () => {
  /** A function of its own for one test, granted to the deployment. */
  function grantedFunction(
    name: string,
    versions: string[],
    alias: Omit<FakeAlias, "RevisionId">,
    faults: Pick<FakeFunction, "lostUpdateAnswers"> = {},
  ) {
    const functionName = uniqueModelId(name);
    aws.functions.set(functionName, {
      versions,
      aliases: { live: { RevisionId: "rev-1", ...alias } },
      ...faults,
    });
    process.env[ROLLBACK_ALLOWED_ENV_VAR] = JSON.stringify({ lambdaFunctions: [functionName] });
    return functionName;
  }

  function liveAlias(functionName: string): FakeAlias {
    const alias = aws.functions.get(functionName)?.aliases.live;
    if (!alias) throw new Error(`no alias live of ${functionName}`);
    return alias;
  }

  /** An invocation a lease ago that recorded its alias update from version 3 to 2 and then died. */
  async function diedAfterRecordingUpdate(notification: Notification): Promise<void> {
    const died = new Date(Date.now() - (CLAIM_LEASE_SECONDS + 1) * 1000);
    const attempt = await claimEpisode("rollback", notification, died);
    if (attempt.status !== "claimed") throw new Error(`the episode is ${attempt.status}`);
    await recordIntent(attempt.claim, {
      revisionId: "rev-1",
      before: { version: "3" },
      after: { version: "2" },
    });
  }

  it("moves a Lambda alias to the previous published version, and audits the versions", async () => {
    const functionName = grantedFunction("scorer", ["$LATEST", "1", "2", "3", "5", "6"], {
      FunctionVersion: "5",
    });
    const modelId = await createModel("rollback-alias", {
      rollback: { type: "lambda-alias", functionName, alias: "live" },
    });

    expect(await deliver(firing(modelId, "drift-share"))).toEqual({ batchItemFailures: [] });

    expect(liveAlias(functionName).FunctionVersion).toBe("3");
    expect(aws.calls.filter((call) => call.operation === "UpdateAlias").at(-1)?.body).toEqual({
      FunctionVersion: "3",
      RevisionId: "rev-1",
    });
    expect(await auditTrail(modelId, "rollback")).toEqual([
      expect.objectContaining({
        outcome: "done",
        detail: `alias live of ${functionName} moved from version 5 to 3`,
        before: { version: "5" },
        after: { version: "3" },
      }),
    ]);
  });

  it("takes the canary out of a Lambda alias's routing", async () => {
    const functionName = grantedFunction("canary", ["$LATEST", "1", "2"], {
      FunctionVersion: "1",
      RoutingConfig: { AdditionalVersionWeights: { "2": 0.1 } },
    });
    const modelId = await createModel("rollback-canary", {
      rollback: { type: "lambda-alias", functionName, alias: "live" },
    });

    expect(await deliver(firing(modelId, "drift-share"))).toEqual({ batchItemFailures: [] });

    expect(aws.functions.get(functionName)?.aliases.live).toEqual({
      FunctionVersion: "1",
      RevisionId: "rev-1+",
    });
    expect(await auditTrail(modelId, "rollback")).toEqual([
      expect.objectContaining({
        outcome: "done",
        before: { version: "1", additionalVersionWeights: { "2": 0.1 } },
        after: { version: "1" },
      }),
    ]);
  });

  it("does not step an alias back twice when the answer to its update was lost and the message is redelivered", async () => {
    const functionName = grantedFunction(
      "lost-answer",
      ["$LATEST", "1", "2", "3"],
      { FunctionVersion: "3" },
      { lostUpdateAnswers: 1 },
    );
    const modelId = await createModel("rollback-lost-answer", {
      rollback: { type: "lambda-alias", functionName, alias: "live" },
    });
    const record = snsDelivery(firing(modelId, "drift-share"), rollbackQueue.localName);

    // The update is made, its answer lost; the SDK's retry of it finds the revision moved on.
    expect(await invokeWithRecords(rollbackQueue.handler, record)).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(await invokeWithRecords(rollbackQueue.handler, record)).toEqual({ batchItemFailures: [] });

    expect(liveAlias(functionName).FunctionVersion).toBe("2");
    const audits = await auditTrail(modelId, "rollback");
    expect(audits.map((audit) => audit.outcome)).toEqual(["failed", "done"]);
    expect(audits[1]).toMatchObject({
      detail: `alias live of ${functionName} moved from version 3 to 2, by an earlier attempt of this rollback`,
      before: { version: "3" },
      after: { version: "2" },
    });
  });

  it("takes over from an invocation that died after moving the alias, without moving it again", async () => {
    const functionName = grantedFunction("died", ["$LATEST", "1", "2", "3"], { FunctionVersion: "3" });
    const modelId = await createModel("rollback-died", {
      rollback: { type: "lambda-alias", functionName, alias: "live" },
    });
    const notification = firing(modelId, "drift-share");
    await diedAfterRecordingUpdate(notification);
    // It made the update before it died.
    Object.assign(liveAlias(functionName), {
      FunctionVersion: "2",
      RevisionId: "rev-2",
    });

    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });

    expect(liveAlias(functionName).FunctionVersion).toBe("2");
    expect((await auditTrail(modelId, "rollback")).map((audit) => audit.outcome)).toEqual(["done"]);
  });

  it("refuses to roll back again an alias someone else changed since an earlier attempt read it", async () => {
    const functionName = grantedFunction("changed", ["$LATEST", "1", "2", "3", "4"], {
      FunctionVersion: "3",
    });
    const modelId = await createModel("rollback-changed", {
      rollback: { type: "lambda-alias", functionName, alias: "live" },
    });
    const notification = firing(modelId, "drift-share");
    await diedAfterRecordingUpdate(notification);
    // A deployment moved the alias on to a new version meanwhile.
    Object.assign(liveAlias(functionName), {
      FunctionVersion: "4",
      RevisionId: "rev-9",
    });

    expect(await deliver(notification)).toEqual({ batchItemFailures: [] });

    expect(liveAlias(functionName).FunctionVersion).toBe("4");
    const [audit] = await auditTrail(modelId, "rollback");
    expect(audit).toMatchObject({
      outcome: "failed",
      detail: `refused: alias live of ${functionName} changed since an earlier attempt of this rollback read it (revision rev-1, now rev-9, at version 4): not rolling it back again`,
    });
  });

  it("refuses for good an alias that does not exist", async () => {
    const functionName = grantedFunction("no-alias", ["$LATEST", "1"], { FunctionVersion: "1" });
    const modelId = await createModel("rollback-no-alias", {
      rollback: { type: "lambda-alias", functionName, alias: "prod" },
    });

    expect(await deliver(firing(modelId, "drift-share"))).toEqual({ batchItemFailures: [] });

    const [audit] = await auditTrail(modelId, "rollback");
    expect(audit).toMatchObject({ outcome: "failed" });
    expect(audit?.detail).toMatch(/^refused: ResourceNotFoundException: Function not found/);
  });

  it("overwrites an SSM parameter with the rollback value", async () => {
    const name = `/models/${uniqueModelId("live")}`;
    aws.parameters.set(name, { value: "v4", version: 7 });
    process.env[ROLLBACK_ALLOWED_ENV_VAR] = JSON.stringify({ ssmParameters: ["/models/*"] });
    const modelId = await createModel("rollback-ssm", {
      rollback: { type: "ssm-parameter", name, value: "v3" },
    });

    expect(await deliver(firing(modelId, "drift-share"))).toEqual({ batchItemFailures: [] });

    expect(aws.parameters.get(name)).toEqual({ value: "v3", version: 8 });
    expect(await auditTrail(modelId, "rollback")).toEqual([
      expect.objectContaining({ outcome: "done", after: { version: 8 } }),
    ]);
  });

  it("sets a SageMaker endpoint's variant weights", async () => {
    const endpointName = uniqueModelId("churn-endpoint");
    process.env[ROLLBACK_ALLOWED_ENV_VAR] = JSON.stringify({ sagemakerEndpoints: [endpointName] });
    const weights = { blue: 1, green: 0 };
    const modelId = await createModel("rollback-variants", {
      rollback: { type: "sagemaker-variants", endpointName, weights },
    });

    expect(await deliver(firing(modelId, "drift-share"))).toEqual({ batchItemFailures: [] });

    expect(
      aws.calls.filter((call) => call.operation === "UpdateEndpointWeightsAndCapacities").at(-1)?.body,
    ).toEqual({
      EndpointName: endpointName,
      DesiredWeightsAndCapacities: [
        { VariantName: "blue", DesiredWeight: 1 },
        { VariantName: "green", DesiredWeight: 0 },
      ],
    });
    expect(await auditTrail(modelId, "rollback")).toEqual([
      expect.objectContaining({ outcome: "done", after: { weights } }),
    ]);
  });
});
