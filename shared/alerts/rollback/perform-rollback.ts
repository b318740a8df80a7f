import { GetAliasCommand, paginateListVersionsByFunction, UpdateAliasCommand } from "@aws-sdk/client-lambda";
import { UpdateEndpointWeightsAndCapacitiesCommand } from "@aws-sdk/client-sagemaker";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import { refusalOrTransient } from "#shared/alerts/action-failures";
import { type EpisodeClaim, recordIntent } from "#shared/alerts/episode-claims";
import { notificationSummary } from "#shared/alerts/notification-summary";
import { originOf, postWebhook } from "#shared/alerts/post-webhook";
import { lambdaClient, sageMakerClient, ssmClient } from "#shared/aws/clients";
import type { Notification } from "#shared/schemas/alert";
import type { RollbackTarget } from "#shared/schemas/model-config";
import {
  type AliasRoutingChange,
  aliasIntentOf,
  aliasIntentSchema,
  canaryRollback,
  canaryWeightsOf,
  earlierAliasRollback,
  endpointWeightsInput,
  getAliasInput,
  previousVersionRollback,
  putParameterInput,
} from "./target-commands.ts";

/** What a rollback did, for the audit. */
export interface RollbackEffect {
  detail: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/**
 * Performs the rollback `target` describes, for the episode `claim` holds. The webhook, parameter and
 * weights rollbacks set a state, so repeating one is harmless; an alias steps back a version, so an
 * attempt taking over from one that failed or died first finds out whether that one already did.
 *
 * @throws ActionRefusedError when it can never succeed as configured (the caller's fault for good)
 * @throws any other error for a failure a redelivery may get past
 */
export async function performRollback(
  target: RollbackTarget,
  notification: Notification,
  claim: EpisodeClaim,
): Promise<RollbackEffect> {
  try {
    switch (target.type) {
      case "webhook":
        return await rollBackByWebhook(target.url, notification);
      case "lambda-alias":
        return await rollBackAlias(target, claim);
      case "ssm-parameter":
        return await rollBackParameter(target);
      case "sagemaker-variants":
        return await rollBackVariants(target);
    }
  } catch (error) {
    throw refusalOrTransient(error);
  }
}

async function rollBackByWebhook(url: string, notification: Notification): Promise<RollbackEffect> {
  const status = await postWebhook(
    url,
    { action: "rollback", ...notificationSummary(notification) },
    {
      what: "the rollback webhook",
      idempotencyKey: `rollback#${notification.alertId}#${notification.episode}`,
    },
  );
  return { detail: `the rollback webhook at ${originOf(url)} accepted it (${status})`, after: { status } };
}

async function rollBackAlias(
  target: Extract<RollbackTarget, { type: "lambda-alias" }>,
  claim: EpisodeClaim,
): Promise<RollbackEffect> {
  const lambda = lambdaClient();
  const alias = await lambda.send(new GetAliasCommand(getAliasInput(target)));
  const earlier = claim.intent && earlierAliasRollback(target, alias, aliasIntentSchema.parse(claim.intent));
  if (earlier) {
    return {
      detail: `${aliasRollbackDetail(target, earlier)}, by an earlier attempt of this rollback`,
      ...earlier,
    };
  }
  const rollback = canaryWeightsOf(alias)
    ? canaryRollback(target, alias)
    : previousVersionRollback(target, alias, await publishedVersions(target.functionName));
  await recordIntent(claim, aliasIntentOf(rollback));
  // Even a PreconditionFailed answer may follow this update: the SDK's own retry of a request whose
  // answer was lost. The next attempt tells from the alias itself.
  await lambda.send(new UpdateAliasCommand(rollback.update));
  const { before, after } = rollback;
  return { detail: aliasRollbackDetail(target, rollback), before, after };
}

function aliasRollbackDetail(
  target: Extract<RollbackTarget, { type: "lambda-alias" }>,
  { before, after }: AliasRoutingChange,
): string {
  return before.additionalVersionWeights
    ? `alias ${target.alias} of ${target.functionName} no longer routes to its canary (${Object.keys(before.additionalVersionWeights).join(", ")}): all traffic goes to version ${after.version}`
    : `alias ${target.alias} of ${target.functionName} moved from version ${before.version} to ${after.version}`;
}

async function publishedVersions(functionName: string): Promise<string[]> {
  const versions: string[] = [];
  for await (const page of paginateListVersionsByFunction(
    { client: lambdaClient() },
    { FunctionName: functionName },
  )) {
    versions.push(...(page.Versions ?? []).flatMap((version) => (version.Version ? [version.Version] : [])));
  }
  return versions;
}

async function rollBackParameter(
  target: Extract<RollbackTarget, { type: "ssm-parameter" }>,
): Promise<RollbackEffect> {
  const { Version } = await ssmClient().send(new PutParameterCommand(putParameterInput(target)));
  return {
    detail: `parameter ${target.name} set to the rollback value (version ${Version})`,
    after: { version: Version },
  };
}

async function rollBackVariants(
  target: Extract<RollbackTarget, { type: "sagemaker-variants" }>,
): Promise<RollbackEffect> {
  const input = endpointWeightsInput(target);
  await sageMakerClient().send(new UpdateEndpointWeightsAndCapacitiesCommand(input));
  return {
    detail: `endpoint ${target.endpointName} is updating to the rollback weights`,
    after: { weights: target.weights },
  };
}
