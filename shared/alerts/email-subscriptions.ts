import {
  GetSubscriptionAttributesCommand,
  ListSubscriptionsByTopicCommand,
  NotFoundException,
  SetSubscriptionAttributesCommand,
  SubscribeCommand,
  type Subscription,
  UnsubscribeCommand,
} from "@aws-sdk/client-sns";
import { snsClient } from "#shared/aws/clients";
import { ALERT_EMAIL_ENV_VAR, alertsTopic, emailFilterPolicy } from "#shared/aws/resources";
import { requiredEnv } from "#shared/config/environment";
import type { ModelConfig } from "#shared/schemas/model-config";
import { listModels } from "#shared/storage/model-store";
import { mapWithConcurrency } from "#shared/util/concurrency";

/**
 * What SNS lists in place of an ARN while the address has not clicked its confirmation link: such a
 * subscription can be neither read nor unsubscribed, and SNS deletes it after 48 hours unconfirmed.
 */
const PENDING_CONFIRMATION = "PendingConfirmation";

/** SNS's limit on a filter policy: the product of the number of values of its keys. */
const MAX_FILTER_POLICY_COMBINATIONS = 150;

/** Subscription reads at once: well within SNS's API rates. */
const PARALLEL_READS = 4;

/** One email subscription of the alerts topic, as SNS shows it. */
export interface EmailSubscription {
  address: string;
  /** Absent while SNS lists the subscription as pending confirmation (it has no ARN to show yet). */
  arn?: string;
  pendingConfirmation: boolean;
  /** The filter policy as SNS holds it; absent when it cannot be read (pending) or there is none. */
  filterPolicy?: string;
  /**
   * The models a DriftWatch-managed subscription hears of: the `modelId` values of its filter
   * policy. Undefined for a subscription DriftWatch did not create (the stack-level address's,
   * which hears every model) or one whose policy cannot be read.
   */
  modelIds?: string[];
}

/** A change the sync made, or one it had to leave (each is logged). */
export type EmailSubscriptionChange =
  | { type: "subscribed"; address: string; modelIds: string[] }
  | { type: "updated"; address: string; arn: string; modelIds: string[] }
  | { type: "unsubscribed"; address: string; arn: string }
  /** Awaiting confirmation: SNS allows neither unsubscribing it nor changing its filter policy. */
  | { type: "pending"; address: string; wanted: string[]; reason: string }
  /** Already subscribed by a subscription DriftWatch does not manage (the stack-level address's). */
  | { type: "unmanaged"; address: string; wanted: string[] }
  /** Named by more models than one filter policy can hold. */
  | { type: "refused"; address: string; wanted: string[]; reason: string };

/** A model's addresses before and after one change of its config (none after a deletion). */
export interface ModelEmailChange {
  modelId: string;
  previous: readonly string[];
  current: readonly string[];
}

/** The distinct addresses of a model's `alerts.emails`. */
export function emailsOf(config: Pick<ModelConfig, "alerts"> | undefined): string[] {
  return [...new Set(config?.alerts?.emails ?? [])];
}

/**
 * SNS keeps one subscription per topic, protocol and address, so an address that several models
 * name has one subscription whose filter policy lists all of them: the email policy with their ids.
 * For a single model it is exactly `emailFilterPolicy(modelId)`.
 */
export function emailSubscriptionFilterPolicy(modelIds: readonly string[]): Record<string, string[]> {
  return { ...emailFilterPolicy(), modelId: [...modelIds].sort() };
}

/** The most models one address can hear of: its filter policy's combinations stay within SNS's 150. */
export const MAX_MODELS_PER_ADDRESS = Math.floor(
  MAX_FILTER_POLICY_COMBINATIONS /
    Object.values(emailFilterPolicy()).reduce((product, values) => product * values.length, 1),
);

/** Which models each address should hear of, from the models' `alerts.emails`. */
export function desiredEmailSubscriptions(
  models: readonly { modelId: string; emails: readonly string[] }[],
): Map<string, string[]> {
  const desired = new Map<string, string[]>();
  for (const { modelId, emails } of models) {
    for (const address of new Set(emails)) desired.set(address, [...(desired.get(address) ?? []), modelId]);
  }
  for (const modelIds of desired.values()) modelIds.sort();
  return desired;
}

/**
 * What to do to bring the email subscriptions of the addresses in `scope` (every address, desired
 * or subscribed, without one) to the desired set. DriftWatch only touches subscriptions whose filter
 * policy names models; the stack-level address (`stackAddress`, created by the CDK stack, without a
 * `modelId` in its policy) is left alone even when a model names it too, since it hears every model.
 */
export function planEmailSubscriptions(
  desired: ReadonlyMap<string, readonly string[]>,
  existing: readonly EmailSubscription[],
  options: { scope?: ReadonlySet<string>; stackAddress?: string } = {},
): EmailSubscriptionChange[] {
  const byAddress = new Map(existing.map((subscription) => [subscription.address, subscription]));
  const addresses = options.scope ?? new Set([...desired.keys(), ...byAddress.keys()]);
  const changes: EmailSubscriptionChange[] = [];
  for (const address of [...addresses].sort()) {
    const wanted = [...(desired.get(address) ?? [])].sort();
    const current = byAddress.get(address);
    if (address === options.stackAddress || (current && !current.pendingConfirmation && !current.modelIds)) {
      if (wanted.length > 0) changes.push({ type: "unmanaged", address, wanted });
      continue;
    }
    if (wanted.length > MAX_MODELS_PER_ADDRESS) {
      changes.push({
        type: "refused",
        address,
        wanted,
        reason: `${wanted.length} models name it, and one SNS filter policy holds at most ${MAX_MODELS_PER_ADDRESS}: make it the stack-level alert address (CDK context alertEmail) instead`,
      });
      continue;
    }
    if (!current) {
      if (wanted.length > 0) changes.push({ type: "subscribed", address, modelIds: wanted });
      continue;
    }
    const upToDate = current.filterPolicy !== undefined && samePolicy(current.filterPolicy, wanted);
    if (current.pendingConfirmation) {
      if (wanted.length === 0)
        changes.push({
          type: "pending",
          address,
          wanted,
          reason:
            "awaiting confirmation, so SNS cannot unsubscribe it: unconfirmed, SNS deletes it after 48 hours; confirmed, the next sync or a resync removes it",
        });
      else if (current.modelIds && !upToDate)
        changes.push({
          type: "pending",
          address,
          wanted,
          reason:
            'awaiting confirmation, so its filter policy cannot change yet: once the address confirms, a resync ({"resync": true}) updates it',
        });
      continue;
    }
    if (wanted.length === 0) changes.push({ type: "unsubscribed", address, arn: current.arn as string });
    else if (!upToDate)
      changes.push({ type: "updated", address, arn: current.arn as string, modelIds: wanted });
  }
  return changes;
}

/**
 * The topic's email subscriptions with their filter policies. Reading a policy takes a call per
 * subscription, so with `scope` only those of these addresses are read.
 */
export async function listEmailSubscriptions(
  topicArn: string,
  scope?: ReadonlySet<string>,
): Promise<EmailSubscription[]> {
  const listed: Subscription[] = [];
  let nextToken: string | undefined;
  do {
    const page = await snsClient().send(
      new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: nextToken }),
    );
    listed.push(...(page.Subscriptions ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const emails = listed.filter(
    (subscription) =>
      subscription.Protocol === "email" &&
      subscription.Endpoint !== undefined &&
      (!scope || scope.has(subscription.Endpoint)),
  );
  const read = await mapWithConcurrency(emails, PARALLEL_READS, readSubscription);
  return read.filter((subscription) => subscription !== undefined);
}

async function readSubscription(listed: Subscription): Promise<EmailSubscription | undefined> {
  const address = listed.Endpoint as string;
  const arn = listed.SubscriptionArn;
  if (!arn?.startsWith("arn:")) return { address, pendingConfirmation: arn === PENDING_CONFIRMATION };
  try {
    const { Attributes = {} } = await snsClient().send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: arn }),
    );
    return {
      address,
      arn,
      pendingConfirmation: Attributes.PendingConfirmation === "true",
      filterPolicy: Attributes.FilterPolicy,
      modelIds: modelIdsOf(Attributes.FilterPolicy),
    };
  } catch (error) {
    // Unsubscribed between the listing and the read: it is no subscription any more.
    if (error instanceof NotFoundException) return undefined;
    throw error;
  }
}

/** The `modelId` values of a filter policy: what marks a subscription as DriftWatch's. */
function modelIdsOf(filterPolicy: string | undefined): string[] | undefined {
  if (!filterPolicy) return undefined;
  try {
    const modelId = (JSON.parse(filterPolicy) as { modelId?: unknown }).modelId;
    return Array.isArray(modelId) && modelId.every((value) => typeof value === "string")
      ? [...modelId].sort()
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a policy SNS holds is the one the models want, whatever the order of its keys and values. */
function samePolicy(held: string, modelIds: readonly string[]): boolean {
  try {
    return canonical(JSON.parse(held)) === canonical(emailSubscriptionFilterPolicy(modelIds));
  } catch {
    return false;
  }
}

function canonical(policy: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(policy)
      .sort()
      .map((key) => {
        const values = policy[key];
        return [key, Array.isArray(values) ? values.map(String).sort() : values];
      }),
  );
}

/**
 * Applies the changes that are calls to SNS. Every change is tried; if any failed, the first error
 * is thrown once the others are done, so the stream retries the batch (the plan is recomputed then,
 * and what succeeded is not redone).
 */
async function applyEmailSubscriptionChanges(
  topicArn: string,
  changes: readonly EmailSubscriptionChange[],
): Promise<void> {
  const sns = snsClient();
  const outcomes = await Promise.allSettled(
    changes.map(async (change) => {
      if (change.type === "subscribed") {
        await sns.send(
          new SubscribeCommand({
            TopicArn: topicArn,
            Protocol: "email",
            Endpoint: change.address,
            Attributes: { FilterPolicy: JSON.stringify(emailSubscriptionFilterPolicy(change.modelIds)) },
            ReturnSubscriptionArn: true,
          }),
        );
      } else if (change.type === "updated") {
        await sns.send(
          new SetSubscriptionAttributesCommand({
            SubscriptionArn: change.arn,
            AttributeName: "FilterPolicy",
            AttributeValue: JSON.stringify(emailSubscriptionFilterPolicy(change.modelIds)),
          }),
        );
      } else if (change.type === "unsubscribed") {
        try {
          await sns.send(new UnsubscribeCommand({ SubscriptionArn: change.arn }));
        } catch (error) {
          // Gone already (a concurrent sync): the address is unsubscribed, as it should be.
          if (!(error instanceof NotFoundException)) throw error;
        }
      }
    }),
  );
  const failure = outcomes.find((outcome) => outcome.status === "rejected");
  if (failure) throw failure.reason;
}

/**
 * Brings the subscriptions of the addresses some models' changes touched (before or after) in line
 * with every model's `alerts.emails`: the changed models as the stream shows them (newer than what an
 * eventually consistent scan may return), the others as the table holds them. Only those addresses
 * are touched, so a sync working from a slightly older scan cannot undo another model's change.
 */
export async function syncEmailSubscriptions(
  changes: readonly ModelEmailChange[],
): Promise<EmailSubscriptionChange[]> {
  const scope = new Set(changes.flatMap((change) => [...change.previous, ...change.current]));
  if (scope.size === 0) return [];
  const emails = new Map(
    (await listModels()).map((model) => [model.modelId, emailsOf(model.config)] as const),
  );
  for (const change of changes) emails.set(change.modelId, [...new Set(change.current)]);
  return reconcile(
    [...emails].map(([modelId, addresses]) => ({ modelId, emails: addresses })),
    scope,
  );
}

/**
 * Brings every email subscription of the topic in line with every model's `alerts.emails`: for
 * models configured before the sync function existed (the stream starts at its newest change),
 * for an address confirmed after its policy had to change, and for anything changed by hand.
 */
export async function resyncAllEmailSubscriptions(): Promise<EmailSubscriptionChange[]> {
  const models = await listModels();
  return reconcile(models.map((model) => ({ modelId: model.modelId, emails: emailsOf(model.config) })));
}

async function reconcile(
  models: readonly { modelId: string; emails: readonly string[] }[],
  scope?: ReadonlySet<string>,
): Promise<EmailSubscriptionChange[]> {
  const topicArn = requiredEnv(alertsTopic.envVar);
  const existing = await listEmailSubscriptions(topicArn, scope);
  const changes = planEmailSubscriptions(desiredEmailSubscriptions(models), existing, {
    scope,
    stackAddress: process.env[ALERT_EMAIL_ENV_VAR] || undefined,
  });
  await applyEmailSubscriptionChanges(topicArn, changes);
  return changes;
}
