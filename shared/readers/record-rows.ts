import type { ReadStream, Stats } from "node:fs";
import { open, stat } from "node:fs/promises";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { MAX_BODY_BYTES } from "#shared/http/json-body";
import { fieldErrors, formatPath } from "#shared/http/validation";
import { type PredictionRecord, predictionRecordSchema } from "#shared/schemas/prediction-record";
import { type CsvRecord, CsvRecordSplitter } from "./csv-rows.ts";
import { describeFileError, InputFileError } from "./input-file-error.ts";

/** The columns `--prediction-column` and `--id-column` rename. */
export interface RecordColumns {
  prediction: string;
  id: string;
}

export const DEFAULT_RECORD_COLUMNS: RecordColumns = { prediction: "prediction", id: "id" };

/** Columns `proba_<label>` hold the probability of class `<label>` (scikit-learn's `predict_proba`). */
export const PROBABILITY_PREFIX = "proba_";

/**
 * One row of a prediction-log file: the Record it maps to (not yet validated), or why the line holds
 * none (not JSON, the wrong number of CSV fields). `line` is the file line the row starts on (CSV,
 * NDJSON) or its 1-based row number (Parquet).
 */
export type RecordRow = { line: number; row: Record<string, unknown> } | { line: number; problem: string };

export interface RecordRows {
  rows: AsyncIterable<RecordRow>;
  /** What `line` counts, for messages: `line 17` of a text file, `row 17` of a Parquet file. */
  unit: "line" | "row";
  /** The share of the file read so far, from 0 to 1, for a progress bar. */
  fractionRead(): number;
}

/** The file types {@link openRecordRows} reads, by extension. */
export const RECORD_FILE_EXTENSIONS = [".csv", ".ndjson", ".jsonl", ".parquet"];

/**
 * Opens a CSV, NDJSON/JSON Lines or Parquet file of prediction logs (by extension) and reads it row by
 * row, holding one piece of the file at a time (a Parquet row group; 64 KiB of text and the record
 * being read), so a file of any size can be streamed.
 *
 * Mapping: an NDJSON line whose `features` is an object is a Record as the API takes it, unchanged.
 * Any other row (CSV, Parquet, a flat NDJSON object) maps by column name: `id`, `timestamp`,
 * `prediction`, `latencyMs`, `error`, `version` and `segment` to those fields (`columns` renames the
 * prediction and id columns), `proba_<label>` to `probabilities[label]`, every other column to a
 * feature. A CSV cell that spells a decimal number becomes a number, an empty one null (an empty
 * field is left out), `true`/`false`/`1`/`0` in `error` a boolean; `id`, `timestamp`, `version` and
 * `segment` stay text. Parquet and NDJSON values keep their type, except: integers of `id`, `version`
 * and `segment` become text, 64-bit integers numbers, and Parquet dates and timestamps an ISO-8601
 * `timestamp` or, as features, milliseconds since the epoch (as `driftwatch compare` reads them).
 *
 * The file's first row is read before this returns, so a file that cannot be read at all fails here,
 * before anything is sent.
 *
 * @throws InputFileError for an unknown extension, a missing, unreadable or empty file, a file without
 *   the prediction column (a CSV header or Parquet schema without it, or a flat first NDJSON line),
 *   a CSV header naming a column twice, an unclosed CSV quote, an unreadable Parquet file or a nested
 *   Parquet column
 * @example
 * const { rows } = await openRecordRows("logs.csv");
 * for await (const item of rows) if ("row" in item) console.log(item.line, checkRecord(item.row));
 */
export async function openRecordRows(
  file: string,
  columns: RecordColumns = DEFAULT_RECORD_COLUMNS,
): Promise<RecordRows> {
  const extension = extname(file).toLowerCase();
  if (!RECORD_FILE_EXTENSIONS.includes(extension)) {
    throw new InputFileError(
      file,
      `unknown file type "${extension || "(none)"}"; expected ${RECORD_FILE_EXTENSIONS.join(", ")}`,
    );
  }
  const size = await fileSize(file);
  if (extension === ".parquet") {
    // Loaded on first use, like the Parquet reader of `compare`: a CSV run never parses the decoder.
    const { openParquetRows } = await import("./parquet-rows.ts");
    const parquet = await openParquetRows(file);
    const plan = columnPlan(parquet.columns, columns, file);
    let read = 0;
    const rows = (async function* () {
      for await (const values of parquet.rows()) {
        read++;
        yield { line: read, row: plan.row(values, typedValue) };
      }
    })();
    return { rows: await primed(rows), unit: "row", fractionRead: () => read / parquet.rowCount };
  }
  const stream = await openStream(file);
  const fractionRead = () => stream.bytesRead / size;
  const rows = extension === ".csv" ? csvRows(file, stream, columns) : ndjsonRows(file, stream, columns);
  return { rows: await primed(rows), unit: "line", fractionRead };
}

/** What {@link fieldErrors} calls the path of a problem with the row as a whole. */
const ROOT_PATH = formatPath([]);

/** A row checked against the Record schema: the record, or each problem as `path: message`. */
export type CheckedRow = { record: PredictionRecord } | { problems: string[] };

/**
 * Validates a row with the API's own Record schema, so a bad row can be reported (and left out) before
 * it would make the API refuse its whole batch.
 *
 * @example
 * checkRecord({ features: { age: [1] }, prediction: 1 });
 * // { problems: ["features.age: feature value must be a finite number, a string, a boolean or null"] }
 */
export function checkRecord(row: unknown): CheckedRow {
  const parsed = predictionRecordSchema.safeParse(row);
  if (parsed.success) return { record: parsed.data };
  // The API's own wording of each problem, so a row reads the same refused here or there.
  return {
    problems: fieldErrors(parsed.error).map(({ path, message }) =>
      path === ROOT_PATH ? message : `${path}: ${message}`,
    ),
  };
}

/** The size of the file, or an error a user can act on; an empty file is an error. */
async function fileSize(file: string): Promise<number> {
  let stats: Stats;
  try {
    stats = await stat(file);
  } catch (error) {
    throw new InputFileError(file, describeFileError(error as NodeJS.ErrnoException));
  }
  if (stats.isDirectory()) throw new InputFileError(file, "is a directory, not a file");
  if (stats.size === 0) throw new InputFileError(file, "the file is empty");
  return stats.size;
}

async function openStream(file: string): Promise<ReadStream> {
  try {
    const handle = await open(file, "r");
    return handle.createReadStream({ encoding: "utf8", highWaterMark: 1 << 16 });
  } catch (error) {
    throw new InputFileError(file, describeFileError(error as NodeJS.ErrnoException));
  }
}

/** Reads the first row now, so errors in the file's start (its header, its first line) surface at once. */
async function primed(rows: AsyncGenerator<RecordRow>): Promise<AsyncGenerator<RecordRow>> {
  const first = await rows.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  })();
}

async function* csvRows(file: string, stream: ReadStream, columns: RecordColumns): AsyncGenerator<RecordRow> {
  let plan: ColumnPlan | undefined;
  let dataRows = 0;
  for await (const record of csvRecords(file, stream)) {
    if (!plan) {
      if (record.problem) throw new InputFileError(file, `line ${record.line}: ${record.problem}`);
      plan = columnPlan(headerNames(record.fields, file), columns, file);
      continue;
    }
    dataRows++;
    if (record.problem) yield { line: record.line, problem: record.problem };
    else if (record.fields.length !== plan.width) {
      yield {
        line: record.line,
        problem: `${record.fields.length} fields where the header has ${plan.width}`,
      };
    } else yield { line: record.line, row: plan.row(record.fields, textValue) };
  }
  if (!plan) throw new InputFileError(file, "the file is empty");
  if (dataRows === 0) throw new InputFileError(file, "the file has a header but no data rows");
}

/** The file's CSV records; the one place a streaming CSV parser plugs in. */
async function* csvRecords(file: string, stream: ReadStream): AsyncGenerator<CsvRecord> {
  // A record larger than any request the API takes could never be sent.
  const splitter = new CsvRecordSplitter(file, MAX_BODY_BYTES);
  let first = true;
  for await (const chunk of stream) {
    let text = chunk as string;
    if (first) {
      text = text.replace(/^\uFEFF/, "");
      first = false;
    }
    yield* splitter.push(text);
  }
  yield* splitter.end();
}

function headerNames(fields: string[], file: string): string[] {
  // pandas writes its index column with an empty header; name it the way pandas (and `compare`) read it.
  const names = fields.map((name, index) => name || `Unnamed: ${index}`);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new InputFileError(file, `the header names column "${name}" twice`);
    seen.add(name);
  }
  return names;
}

async function* ndjsonRows(
  file: string,
  stream: ReadStream,
  columns: RecordColumns,
): AsyncGenerator<RecordRow> {
  const plans = new FlatObjectPlans(columns);
  let line = 0;
  let sawLine = false;
  let sawObject = false;
  for await (const text of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    // trim() also drops the UTF-8 byte order mark some editors write before the first line.
    const source = text.trim();
    if (source === "") continue;
    sawLine = true;
    const object = parseObject(source);
    if (typeof object === "string") {
      yield { line, problem: object };
      continue;
    }
    const isRecord = isRecordObject(object);
    // Checked on the first object only: a later row without a prediction is a bad row, listed.
    if (!sawObject && !isRecord && !(columns.prediction in object)) {
      throw new InputFileError(
        file,
        missingPredictionColumn(columns, `line ${line} has neither a "features" object nor the key`),
      );
    }
    sawObject = true;
    yield { line, row: isRecord ? object : plans.row(object) };
  }
  if (!sawLine) throw new InputFileError(file, "the file is empty");
}

/** The line's object, or why it is not one. */
function parseObject(source: string): Record<string, unknown> | string {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return "not a JSON object";
  return value as Record<string, unknown>;
}

/** A line in the API's own shape, `{features: {...}, prediction, ...}`, rather than a flat row. */
function isRecordObject(object: Record<string, unknown>): boolean {
  const features = object.features;
  return typeof features === "object" && features !== null && !Array.isArray(features);
}

/** Why the file has no prediction column, and how to name the one it has. */
function missingPredictionColumn(columns: RecordColumns, where: string): string {
  const renamed = columns.prediction !== DEFAULT_RECORD_COLUMNS.prediction;
  return `${where} "${columns.prediction}" for the prediction${renamed ? " (--prediction-column)" : "; name yours with --prediction-column"}`;
}

/** Where one column's values go in a Record. */
type Target =
  | { field: "id" | "timestamp" | "version" | "segment" | "prediction" | "latencyMs" | "error" }
  | { field: "probability"; label: string }
  | { field: "feature"; name: string };

type ScalarField = Exclude<Target["field"], "probability" | "feature">;

const FIXED_FIELDS: ReadonlySet<string> = new Set(["timestamp", "latencyMs", "error", "version", "segment"]);

function targetOf(name: string, columns: RecordColumns): Target {
  if (name === columns.prediction) return { field: "prediction" };
  if (name === columns.id) return { field: "id" };
  if (FIXED_FIELDS.has(name)) return { field: name as ScalarField };
  if (name.startsWith(PROBABILITY_PREFIX) && name.length > PROBABILITY_PREFIX.length) {
    return { field: "probability", label: name.slice(PROBABILITY_PREFIX.length) };
  }
  return { field: "feature", name };
}

/** Turns one cell into what its target takes; `undefined` leaves the field out. */
type Convert = (target: Target, value: unknown) => unknown;

interface ColumnPlan {
  width: number;
  row(values: readonly unknown[], convert: Convert): Record<string, unknown>;
}

/** The mapping of a file whose columns are known up front (CSV header, Parquet schema). */
function columnPlan(names: readonly string[], columns: RecordColumns, file: string): ColumnPlan {
  if (!names.includes(columns.prediction)) {
    throw new InputFileError(file, missingPredictionColumn(columns, "no column"));
  }
  const targets = names.map((name) => targetOf(name, columns));
  return { width: names.length, row: (values, convert) => buildRow(targets, values, convert) };
}

/** The mapping of flat NDJSON objects, whose keys may differ from line to line. */
class FlatObjectPlans {
  private readonly targets = new Map<string, Target>();

  constructor(private readonly columns: RecordColumns) {}

  row(object: Record<string, unknown>): Record<string, unknown> {
    const keys = Object.keys(object);
    const targets = keys.map((key) => {
      let target = this.targets.get(key);
      if (!target) {
        target = targetOf(key, this.columns);
        this.targets.set(key, target);
      }
      return target;
    });
    return buildRow(
      targets,
      keys.map((key) => object[key]),
      typedValue,
    );
  }
}

function buildRow(
  targets: readonly Target[],
  values: readonly unknown[],
  convert: Convert,
): Record<string, unknown> {
  const features: Record<string, unknown> = {};
  const probabilities: Record<string, unknown> = {};
  const row: Record<string, unknown> = { features };
  targets.forEach((target, index) => {
    const value = convert(target, values[index]);
    if (target.field === "feature") features[target.name] = value;
    else if (value === undefined) return;
    else if (target.field === "probability") probabilities[target.label] = value;
    else row[target.field] = value;
  });
  if (Object.keys(probabilities).length > 0) row.probabilities = probabilities;
  return row;
}

/** `[ws][+|-]digits[.digits][(e|E)[+|-]digits][ws]`: the numbers the CSV reader of `compare` reads. */
const DECIMAL = /^[ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;
const BLANK = /^[ \t]*$/;
const TRUE_TEXT = /^(?:true|1)$/i;
const FALSE_TEXT = /^(?:false|0)$/i;

/** A CSV cell, which is text, as its target takes it. */
function textValue(target: Target, value: unknown): unknown {
  const text = value as string;
  const blank = BLANK.test(text);
  switch (target.field) {
    case "feature":
      return blank ? null : DECIMAL.test(text) ? Number(text) : text;
    case "prediction":
    case "latencyMs":
    case "probability":
      return blank ? undefined : DECIMAL.test(text) ? Number(text) : text;
    case "error":
      return blank ? undefined : TRUE_TEXT.test(text) ? true : FALSE_TEXT.test(text) ? false : text;
    default:
      return blank ? undefined : text;
  }
}

/** A Parquet or NDJSON value, which has a type already, as its target takes it. */
function typedValue(target: Target, value: unknown): unknown {
  if (value === null || value === undefined) return target.field === "feature" ? null : undefined;
  switch (target.field) {
    case "feature":
      return typeof value === "bigint" ? Number(value) : value instanceof Date ? value.getTime() : value;
    case "prediction":
    case "latencyMs":
    case "probability":
      return typeof value === "bigint" ? Number(value) : value;
    case "timestamp":
      return value instanceof Date ? value.toISOString() : value;
    case "id":
    case "version":
    case "segment":
      return typeof value === "number" || typeof value === "bigint" ? String(value) : value;
    case "error":
      return value;
  }
}
