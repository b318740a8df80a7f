import { setTimeout as sleep } from "node:timers/promises";

export class UnprocessedItemsError extends Error {
  constructor(readonly remaining: number) {
    super(`DynamoDB left ${remaining} item(s) unprocessed after every retry`);
    this.name = "UnprocessedItemsError";
  }
}

const MAX_ROUNDS = 8;
const BASE_DELAY_MS = 25;
const MAX_DELAY_MS = 2_000;

/**
 * DynamoDB batch calls succeed while leaving part of the batch unprocessed under throttling;
 * those parts are resent with exponential backoff and full jitter, as AWS advises, until none
 * is left or the rounds run out (then the caller sees an error, never a silent loss).
 */
export async function sendUntilProcessed<Batch>(
  batch: Batch,
  send: (batch: Batch) => Promise<Batch | undefined>,
  size: (batch: Batch) => number,
): Promise<void> {
  let pending: Batch | undefined = batch;
  for (let round = 0; pending && size(pending) > 0; round++) {
    if (round === MAX_ROUNDS) throw new UnprocessedItemsError(size(pending));
    if (round > 0) await sleep(Math.random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** round));
    pending = await send(pending);
  }
}
