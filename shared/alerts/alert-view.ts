import type { Alert } from "#shared/schemas/alert";

/** An alert as the API shows it: without the bookkeeping of its writes. */
export function alertView({ version: _, outbox: __, lastCheckId, ...alert }: Alert) {
  return { ...alert, lastCheckId };
}
