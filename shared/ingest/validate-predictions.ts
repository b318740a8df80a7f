import { randomUUID } from "node:crypto";
import { type FieldError, ValidationProblem } from "#shared/http/problem";
import { fieldErrors } from "#shared/http/validation";
import {
  predictionBatchSchema,
  predictionRecordSchema,
  type StoredRecord,
} from "#shared/schemas/prediction-record";
import { duplicateIdErrors } from "./duplicate-ids.ts";

/** The records of a valid request, and which of their ids the client sent (the others are new). */
export interface ValidatedPredictions {
  records: StoredRecord[];
  clientIds: string[];
}

/**
 * Validates a predictions body, one Record or `{records: [...]}`, as a whole: every bad record is
 * reported with its path, and if any is bad none is accepted. Accepted records get their id and
 * timestamp filled in, so what is stored is exactly what later reads see.
 */
export function validatePredictions(body: unknown, receivedAt: Date): ValidatedPredictions {
  const isBatch = typeof body === "object" && body !== null && !Array.isArray(body) && "records" in body;
  const candidates = isBatch ? batchRecords(body) : [body];
  const prefix = (index: number) => (isBatch ? ["records", index] : []);

  const errors: FieldError[] = [];
  const records: StoredRecord[] = [];
  const clientIds: string[] = [];
  const idByIndex: Array<string | undefined> = [];
  candidates.forEach((candidate, index) => {
    const parsed = predictionRecordSchema.safeParse(candidate);
    if (!parsed.success) {
      errors.push(...fieldErrors(parsed.error, prefix(index)));
      return;
    }
    if (parsed.data.id !== undefined) clientIds.push(parsed.data.id);
    const { id = randomUUID(), timestamp = receivedAt.toISOString(), ...rest } = parsed.data;
    idByIndex[index] = id;
    records.push({ id, timestamp, ...rest });
  });
  errors.push(...duplicateIdErrors(idByIndex, "records"));
  if (errors.length > 0) {
    throw new ValidationProblem(`${errors.length} problem(s) in the request; nothing was stored`, errors);
  }
  return { records, clientIds };
}

function batchRecords(body: object): unknown[] {
  const parsed = predictionBatchSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationProblem(
      "The request body is not a valid batch; nothing was stored",
      fieldErrors(parsed.error),
    );
  }
  return parsed.data.records;
}
