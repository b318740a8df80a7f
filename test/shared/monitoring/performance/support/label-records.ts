import type { LabelRecord } from "#shared/storage/label-batches";

/** A label record of a prediction received at `receivedAt`, labelled `lagSeconds` later. */
export function labelRecord(
  id: string,
  receivedAt: string,
  fields: Pick<LabelRecord, "label" | "prediction"> & {
    probabilities?: Record<string, number>;
    lagSeconds?: number;
  },
): LabelRecord {
  const { lagSeconds = 3600, probabilities, ...rest } = fields;
  return {
    id,
    ...rest,
    ...(probabilities ? { probabilities } : {}),
    receivedAt,
    labeledAt: new Date(Date.parse(receivedAt) + lagSeconds * 1000).toISOString(),
  };
}

/** numpy.quantile(values, q) with the default linear method, from its definition. */
export function numpyQuantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const below = sorted[Math.floor(h)] as number;
  const above = sorted[Math.ceil(h)] as number;
  return below + (h - Math.floor(h)) * (above - below);
}
