import type {
  GetAliasCommandInput,
  GetAliasCommandOutput,
  UpdateAliasCommandInput,
} from "@aws-sdk/client-lambda";
import type { UpdateEndpointWeightsAndCapacitiesCommandInput } from "@aws-sdk/client-sagemaker";
import type { PutParameterCommandInput } from "@aws-sdk/client-ssm";
import { z } from "zod";
import { ActionRefusedError } from "#shared/alerts/action-failures";
import type { RollbackTarget } from "#shared/schemas/model-config";

/**
 * The AWS calls a rollback makes, worked out without AWS: these functions take the target (and, for
 * an alias, what GetAlias and ListVersionsByFunction answered) and give the command inputs, so every
 * decision is tested here and the caller only sends them.
 */

type LambdaAliasTarget = Extract<RollbackTarget, { type: "lambda-alias" }>;
type SsmParameterTarget = Extract<RollbackTarget, { type: "ssm-parameter" }>;
type SageMakerVariantsTarget = Extract<RollbackTarget, { type: "sagemaker-variants" }>;

/** The alias as GetAlias describes it: the parts a rollback reads. */
export type AliasState = Pick<GetAliasCommandOutput, "FunctionVersion" | "RoutingConfig" | "RevisionId">;

/** An alias's routing before and after a rollback. */
const aliasRoutingChangeSchema = z.object({
  before: z.object({
    version: z.string(),
    additionalVersionWeights: z.record(z.string(), z.number()).optional(),
  }),
  after: z.object({ version: z.string() }),
});
export type AliasRoutingChange = z.infer<typeof aliasRoutingChangeSchema>;

/** An alias rollback: the UpdateAlias call, and the alias's routing before and after it. */
export type AliasRollback = AliasRoutingChange & { update: UpdateAliasCommandInput };

/**
 * The alias update an attempt recorded before sending it (see `recordIntent`): the revision it read
 * and the routing it set out to leave, so that a later attempt can tell whether the update was made.
 */
export const aliasIntentSchema = aliasRoutingChangeSchema.extend({ revisionId: z.string() });
export type AliasIntent = z.infer<typeof aliasIntentSchema>;

/** What an attempt records before sending the rollback's UpdateAlias. */
export function aliasIntentOf(rollback: AliasRollback): AliasIntent {
  return { revisionId: rollback.update.RevisionId ?? "", before: rollback.before, after: rollback.after };
}

/**
 * Whether an earlier attempt of the episode already made its alias update, judged from the alias as
 * it is now: the revision it read is still there (the update was not made: plan afresh, undefined),
 * or the alias routes exactly as the update left it (made: the rollback is done, and stepping back
 * again would skip a version). An alias changed in any other way was changed by someone else since,
 * and is not rolled back again without a person.
 *
 * @throws ActionRefusedError when the alias changed since the earlier attempt read it
 */
export function earlierAliasRollback(
  target: LambdaAliasTarget,
  alias: AliasState,
  intent: AliasIntent,
): AliasRoutingChange | undefined {
  if (alias.RevisionId === intent.revisionId) return undefined;
  if (alias.FunctionVersion === intent.after.version && !canaryWeightsOf(alias)) {
    return { before: intent.before, after: intent.after };
  }
  throw new ActionRefusedError(
    `alias ${target.alias} of ${target.functionName} changed since an earlier attempt of this rollback read it (revision ${intent.revisionId}, now ${alias.RevisionId}, at version ${alias.FunctionVersion}): not rolling it back again`,
  );
}

export function getAliasInput(target: LambdaAliasTarget): GetAliasCommandInput {
  return { FunctionName: target.functionName, Name: target.alias };
}

/** The canary an alias routes part of its traffic to (`AdditionalVersionWeights`), if any. */
export function canaryWeightsOf(alias: AliasState): Record<string, number> | undefined {
  const weights = alias.RoutingConfig?.AdditionalVersionWeights;
  return weights && Object.keys(weights).length > 0 ? weights : undefined;
}

/**
 * An alias with a canary goes back to its main version alone: the new version is the canary, and
 * the main version is what ran before it. The revision id makes the update fail, to be retried from
 * a fresh read, if the alias changed since it was read.
 */
export function canaryRollback(target: LambdaAliasTarget, alias: AliasState): AliasRollback {
  const version = mainVersionOf(target, alias);
  return {
    update: {
      FunctionName: target.functionName,
      Name: target.alias,
      FunctionVersion: version,
      RoutingConfig: { AdditionalVersionWeights: {} },
      RevisionId: alias.RevisionId,
    },
    before: { version, additionalVersionWeights: canaryWeightsOf(alias) },
    after: { version },
  };
}

/**
 * An alias without a canary goes to the published version before the one it points at.
 *
 * @param publishedVersions every version ListVersionsByFunction names (`$LATEST` among them)
 * @throws ActionRefusedError when the alias points at `$LATEST`, or at the earliest published version
 */
export function previousVersionRollback(
  target: LambdaAliasTarget,
  alias: AliasState,
  publishedVersions: readonly string[],
): AliasRollback {
  const current = mainVersionOf(target, alias);
  if (current === "$LATEST") {
    throw new ActionRefusedError(
      `alias ${target.alias} of ${target.functionName} points at $LATEST, not a published version: there is no previous version to go back to`,
    );
  }
  const previous = previousVersion(current, publishedVersions);
  if (previous === undefined) {
    throw new ActionRefusedError(
      `alias ${target.alias} of ${target.functionName} points at version ${current}, and no published version precedes it`,
    );
  }
  return {
    update: {
      FunctionName: target.functionName,
      Name: target.alias,
      FunctionVersion: previous,
      RevisionId: alias.RevisionId,
    },
    before: { version: current },
    after: { version: previous },
  };
}

/**
 * The highest numeric version below `current`, or undefined when there is none. Versions compare as
 * numbers (`10` follows `9`); `$LATEST` is no published version, so nothing precedes it.
 *
 * @example
 * previousVersion("12", ["$LATEST", "9", "10", "12", "13"]); // "10"
 */
export function previousVersion(current: string, versions: readonly string[]): string | undefined {
  if (!/^\d+$/.test(current)) return undefined;
  const below = versions
    .filter((version) => /^\d+$/.test(version) && Number(version) < Number(current))
    .map(Number);
  return below.length > 0 ? String(Math.max(...below)) : undefined;
}

/** Overwrites the parameter with the configured value; its type and other settings stay as they are. */
export function putParameterInput(target: SsmParameterTarget): PutParameterCommandInput {
  return { Name: target.name, Value: target.value, Overwrite: true };
}

/**
 * Sets each named variant's weight; variants not named keep theirs.
 *
 * @throws ActionRefusedError when no variant is named (SageMaker needs at least one)
 */
export function endpointWeightsInput(
  target: SageMakerVariantsTarget,
): UpdateEndpointWeightsAndCapacitiesCommandInput {
  const variants = Object.entries(target.weights);
  if (variants.length === 0) {
    throw new ActionRefusedError(`the rollback of endpoint ${target.endpointName} names no variant weights`);
  }
  return {
    EndpointName: target.endpointName,
    DesiredWeightsAndCapacities: variants.map(([VariantName, DesiredWeight]) => ({
      VariantName,
      DesiredWeight,
    })),
  };
}

function mainVersionOf(target: LambdaAliasTarget, alias: AliasState): string {
  if (!alias.FunctionVersion) {
    throw new ActionRefusedError(`alias ${target.alias} of ${target.functionName} names no version`);
  }
  return alias.FunctionVersion;
}
