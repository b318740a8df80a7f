import { z } from "zod";

export const MAX_FEATURES = 500;
export const MAX_NAME_LENGTH = 128;
export const MAX_FUTURE_SKEW_MS = 7 * 24 * 60 * 60 * 1000;

// Control characters would corrupt CSV exports, terminals and Athena column names.
const CONTROL_CHARACTERS = /\p{Cc}/u;

const featureNameSchema = z
  .string()
  .min(1, "feature name must not be empty")
  .max(MAX_NAME_LENGTH, `feature name must be at most ${MAX_NAME_LENGTH} characters`)
  .refine((name) => !CONTROL_CHARACTERS.test(name), "feature name must not contain control characters");

const featureValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()], {
  error: "feature value must be a finite number, a string, a boolean or null",
});

const timestampSchema = z.iso
  .datetime({ offset: true, error: "must be an ISO-8601 date-time with a time zone" })
  .refine(
    (timestamp) => Date.parse(timestamp) <= Date.now() + MAX_FUTURE_SKEW_MS,
    "must not be more than 7 days in the future",
  );

/** One prediction as a client logs it (CONTRACT §2 Record). */
export const predictionRecordSchema = z.strictObject({
  id: z.string().min(1).max(MAX_NAME_LENGTH, `must be at most ${MAX_NAME_LENGTH} characters`).optional(),
  timestamp: timestampSchema.optional(),
  features: z
    .record(featureNameSchema, featureValueSchema)
    .refine((features) => Object.keys(features).length <= MAX_FEATURES, {
      message: `must have at most ${MAX_FEATURES} features`,
    }),
  prediction: z.union([z.number(), z.string()], { error: "must be a finite number or a string" }),
  probabilities: z.record(z.string().min(1).max(MAX_NAME_LENGTH), z.number().min(0).max(1)).optional(),
  latencyMs: z.number().nonnegative().optional(),
  error: z.boolean().optional(),
  version: z.string().max(MAX_NAME_LENGTH).optional(),
  segment: z.string().max(MAX_NAME_LENGTH).optional(),
});

export type PredictionRecord = z.infer<typeof predictionRecordSchema>;

/** A record as stored: the id and timestamp are always present once accepted. */
export type StoredRecord = PredictionRecord & { id: string; timestamp: string };

export const MAX_RECORDS_PER_REQUEST = 1000;

export const predictionBatchSchema = z.strictObject({
  records: z
    .array(z.unknown())
    .min(1, "must hold at least 1 record")
    .max(MAX_RECORDS_PER_REQUEST, `must hold at most ${MAX_RECORDS_PER_REQUEST} records`),
});
