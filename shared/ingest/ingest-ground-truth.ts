import { ValidationProblem } from "#shared/http/problem";
import type { GroundTruthLabel } from "#shared/schemas/ground-truth";
import { type LabelRecord, writeLabelBatches } from "#shared/storage/label-batches";
import { findPredictions, type PredictionItem, savePredictions } from "#shared/storage/prediction-index";
import { duplicateIdErrors } from "./duplicate-ids.ts";

export interface GroundTruthResult {
  accepted: number;
  /** Ids with no stored prediction of this model (not yet ingested, expired, or mistyped). */
  unmatched: string[];
}

/**
 * Joins labels to stored predictions by id and stores them twice: as label batches in S3, partitioned
 * by the predictions' receipt hour, which the performance checks read in bulk, then on the prediction
 * items in DynamoDB. A 202 therefore means both writes happened. A retried or re-sent request writes
 * its labels again; readers keep each id's latest label, so the retry changes nothing and a corrected
 * label replaces the old one.
 */
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
  const labeledAt = receivedAt.toISOString();
  const labeled: PredictionItem[] = [];
  const records: LabelRecord[] = [];
  const unmatched: string[] = [];
  for (const { id, label } of labels) {
    const prediction = predictions.get(id);
    if (!prediction) {
      unmatched.push(id);
      continue;
    }
    labeled.push({ ...prediction, label, labeledAt });
    const { prediction: predicted, probabilities } = prediction;
    records.push({
      id,
      label,
      prediction: predicted,
      ...(probabilities ? { probabilities } : {}),
      receivedAt: prediction.receivedAt,
      labeledAt,
    });
  }
  await writeLabelBatches(modelId, records, receivedAt);
  await savePredictions(labeled);
  return { accepted: labeled.length, unmatched };
}
