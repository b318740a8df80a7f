import { randomUUID } from "node:crypto";
import { MAX_BODY_BYTES } from "#shared/http/json-body";
import { MAX_RECORDS_PER_REQUEST, type PredictionRecord } from "#shared/schemas/prediction-record";
import type { FieldError } from "#shared/schemas/problem";

/**
 * Room left in the 6 MB Lambda invocation for the rest of the API Gateway event around the body
 * (headers, request context), which counts against the same limit on AWS.
 */
const EVENT_ENVELOPE_BYTES = 64 * 1024;

/** The largest predictions request, as the Lambda event counts it. */
export const MAX_REQUEST_BYTES = MAX_BODY_BYTES - EVENT_ENVELOPE_BYTES;

const BATCH_OPENING = '{"records":[';
const BATCH_CLOSING = "]}";
const QUOTE = 34;
const BACKSLASH = 92;

/** A record ready to be batched: its id (the batch's idempotency key), its JSON, and its size in the event. */
export interface SerializedRecord {
  id: string;
  json: string;
  bytes: number;
}

/**
 * Serializes a valid record, giving it a random UUID when it has no id: the id is the API's
 * idempotency key, so a retried request cannot store the record twice.
 */
export function serializeRecord(record: PredictionRecord): SerializedRecord {
  const id = record.id ?? randomUUID();
  const json = JSON.stringify(record.id === undefined ? { ...record, id } : record);
  return { id, json, bytes: eventBytes(json) };
}

/** The largest record one request can carry, in the bytes of {@link SerializedRecord}. */
export const largestRecordBytes = (maxRequestBytes: number) =>
  maxRequestBytes - BATCH_OPENING.length - BATCH_CLOSING.length;

/** The body of a predictions request: `{"records": [...]}`. */
export const batchBody = (records: readonly SerializedRecord[]) =>
  `${BATCH_OPENING}${records.map((record) => record.json).join(",")}${BATCH_CLOSING}`;

/**
 * The bytes a JSON text takes inside the Lambda event, where the body is itself a JSON string: every
 * quote and backslash is escaped once more there, so a 5 MB body can exceed the 6 MB invocation limit.
 */
function eventBytes(json: string): number {
  let escapes = 0;
  for (let index = 0; index < json.length; index++) {
    const c = json.charCodeAt(index);
    if (c === QUOTE || c === BACKSLASH) escapes++;
  }
  return Buffer.byteLength(json) + escapes;
}

/**
 * Collects records into one request: at most `maxRecords`, under `maxRequestBytes`, and each id once,
 * since the API refuses a request that repeats an id (a repeated id starts the next request, where the
 * API counts it as a duplicate).
 */
export class BatchBuilder<Entry extends SerializedRecord> {
  private entries: Entry[] = [];
  private bytes = 0;
  private readonly ids = new Set<string>();

  constructor(
    private readonly maxRecords: number = MAX_RECORDS_PER_REQUEST,
    private readonly maxRequestBytes: number = MAX_REQUEST_BYTES,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  get full(): boolean {
    return this.entries.length >= this.maxRecords;
  }

  /** Whether `entry` may join the batch; an empty batch takes any record (sized with {@link largestRecordBytes}). */
  accepts(entry: SerializedRecord): boolean {
    if (this.entries.length === 0) return true;
    // With this record the batch holds entries.length commas between its records.
    const bytes =
      BATCH_OPENING.length + this.bytes + this.entries.length + entry.bytes + BATCH_CLOSING.length;
    return !this.full && bytes <= this.maxRequestBytes && !this.ids.has(entry.id);
  }

  add(entry: Entry): void {
    this.entries.push(entry);
    this.bytes += entry.bytes;
    this.ids.add(entry.id);
  }

  /** The batch's records, leaving it empty. */
  take(): Entry[] {
    const entries = this.entries;
    this.entries = [];
    this.bytes = 0;
    this.ids.clear();
    return entries;
  }
}

const RECORD_PATH = /^records\[(\d+)\]\.?(.*)$/;

/**
 * The records a 400 names (`records[3].features.age`), by their index in the request, each with its
 * problems at paths inside the record (`features.age`; empty for the record itself). Undefined when
 * the refusal names none, or names something else too: then it refused the request as a whole.
 *
 * @example
 * recordProblems({ errors: [{ path: "records[1].timestamp", message: "must be ISO-8601" }] }, 2);
 * // Map { 1 => [{ path: "timestamp", message: "must be ISO-8601" }] }
 */
export function recordProblems(
  body: unknown,
  records: number,
): ReadonlyMap<number, FieldError[]> | undefined {
  const errors = (body as { errors?: FieldError[] } | undefined)?.errors ?? [];
  const problems = new Map<number, FieldError[]>();
  for (const error of errors) {
    const match = RECORD_PATH.exec(String(error.path));
    const index = match ? Number(match[1]) : -1;
    if (!match || index >= records) return undefined;
    const list = problems.get(index) ?? [];
    list.push({ path: match[2] as string, message: String(error.message) });
    problems.set(index, list);
  }
  return problems.size > 0 ? problems : undefined;
}
