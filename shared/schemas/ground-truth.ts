import { z } from "zod";
import { MAX_NAME_LENGTH, MAX_RECORDS_PER_REQUEST } from "./prediction-record.ts";

export const groundTruthLabelSchema = z.strictObject({
  id: z.string().min(1).max(MAX_NAME_LENGTH),
  label: z.union([z.number(), z.string()], { error: "must be a finite number or a string" }),
});

export const groundTruthBatchSchema = z.strictObject({
  labels: z
    .array(groundTruthLabelSchema)
    .min(1, "must hold at least 1 label")
    .max(MAX_RECORDS_PER_REQUEST, `must hold at most ${MAX_RECORDS_PER_REQUEST} labels`),
});

export type GroundTruthLabel = z.infer<typeof groundTruthLabelSchema>;
