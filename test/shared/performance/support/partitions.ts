import type { Random } from "../../../support/random.ts";

/**
 * Cuts items into `count` consecutive partitions at random places, some possibly empty, as a check fans out over
 * S3 objects of uneven size; concatenated, the partitions are the items again.
 */
export function partitionsOf<T>(items: readonly T[], count: number, random: Random): T[][] {
  const cuts = Array.from({ length: count - 1 }, () => random.int(items.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, items.length];
  return bounds.slice(1).map((end, i) => items.slice(bounds[i], end));
}
