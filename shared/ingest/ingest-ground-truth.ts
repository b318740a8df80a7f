import { ValidationProblem } from "#shared/http/problem";
import type { GroundTruthLabel } from "#shared/schemas/ground-truth";
import { findPredictions, type PredictionItem, savePredictions } from "#shared/storage/prediction-index";
import { duplicateIdErrors } from "./duplicate-ids.ts";

export interface GroundTruthResult {
  accepted: number;
  /** Ids with no stored prediction of this model (not yet ingested, expired, or mistyped). */
  unmatched: string[];
}

/** Joins labels to stored predictions by id; re-sending a label overwrites it with the same value. */
export async function ingestGroundTruth(
  modelId: string,
  labels: readonly GroundTruthLabel[],
  receivedAt: Date,
): Promise<GroundTruthResult> {
  const duplicates = duplicateIdErrors(
    labels.map((label) => label.id),
    "labels",
  );
  if (duplicates.length > 0) {
    throw new ValidationProblem("Duplicate ids in the request; nothing was stored", duplicates);
  }
  const predictions = await findPredictions(
    modelId,
    labels.map((label) => label.id),
  );
  const labeled: PredictionItem[] = [];
  const unmatched: string[] = [];
  for (const { id, label } of labels) {
    const prediction = predictions.get(id);
    if (prediction) labeled.push({ ...prediction, label, labeledAt: receivedAt.toISOString() });
    else unmatched.push(id);
  }
  await savePredictions(labeled);
  return { accepted: labeled.length, unmatched };
}
