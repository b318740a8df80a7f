import type { LabelRecord } from "#shared/storage/label-batches";

/**
 * Each id's latest label: the one with the greatest `labeledAt`, and of two written in the same
 * millisecond the one read last. A retried ground-truth request writes its labels again and a
 * corrected label is written later, so this is the label the client meant, counted once.
 *
 * @example
 * latestLabels([
 *   { id: "a", label: 0, prediction: 1, receivedAt: "2026-12-01T10:00:00.000Z", labeledAt: "2026-12-02T08:00:00.000Z" },
 *   { id: "a", label: 1, prediction: 1, receivedAt: "2026-12-01T10:00:00.000Z", labeledAt: "2026-12-03T08:00:00.000Z" },
 * ]); // [the second]
 */
export function latestLabels(records: Iterable<LabelRecord>): LabelRecord[] {
  const latest = new Map<string, LabelRecord>();
  for (const record of records) {
    const kept = latest.get(record.id);
    // ISO-8601 instants in UTC with milliseconds (toISOString) order as strings do.
    if (!kept || record.labeledAt >= kept.labeledAt) latest.set(record.id, record);
  }
  return [...latest.values()];
}
