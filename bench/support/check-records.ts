import { RecordSummaryBuilder } from "#shared/monitoring/record-summary";
import type { StoredRecord } from "#shared/schemas/prediction-record";
import type { Random } from "../../test/support/random.ts";

/** 16 numeric and 4 categorical features; `shift` moves the first numeric one (a drifted feature). */
export function benchRecord(random: Random, id: string, receivedAt: Date, shift: number): StoredRecord {
  const features: Record<string, number | string> = {};
  for (let k = 0; k < 16; k++)
    features[`x${k}`] = k % 4 === 3 ? random.lognormal(0, 1) : random.normal() + (k === 0 ? shift : 0);
  for (let k = 0; k < 4; k++) features[`c${k}`] = `v${random.int(3 + 4 * k)}`;
  return {
    id,
    timestamp: receivedAt.toISOString(),
    features,
    prediction: random.next() < 0.3 ? "yes" : "no",
    latencyMs: 20 * random.lognormal(0, 0.4),
  };
}

export function baselineSummary(random: Random, rows: number) {
  const builder = new RecordSummaryBuilder();
  const now = new Date();
  for (let i = 0; i < rows; i++) builder.add(benchRecord(random, `b${i}`, now, 0));
  return builder.finish();
}
