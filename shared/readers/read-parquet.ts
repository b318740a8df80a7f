import { type ColumnData, type FileMetaData, parquetMetadata, parquetRead, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { type Column, type Dataset, MISSING_CODE } from "#shared/drift/dataset";
import { InputFileError } from "./input-file-error.ts";

/** Physical types read as numbers (INT96 is a legacy timestamp). */
const NUMERIC_TYPES = new Set(["INT32", "INT64", "FLOAT", "DOUBLE", "INT96"]);
const MS_PER_DAY = 86_400_000;

/**
 * Timestamps and dates as numbers (milliseconds since the epoch) instead of a `Date` object per
 * value, so they land in a numeric column like any other number.
 */
const EPOCH_MILLISECOND_PARSERS = {
  timestampFromMilliseconds: (millis: bigint) => Number(millis),
  timestampFromMicroseconds: (micros: bigint) => Number(micros) / 1e3,
  timestampFromNanoseconds: (nanos: bigint) => Number(nanos) / 1e6,
  dateFromDays: (days: number) => days * MS_PER_DAY,
};

export interface ParquetReadLimits {
  /** Read at most this many rows from the start of the file (the whole file when absent). */
  maxRows?: number;
}

/**
 * Reads a Parquet file (any codec hyparquet-compressors knows: snappy, gzip, zstd, brotli, lz4) into a
 * {@link Dataset}. The schema decides the column types: integers, floats and decimals are numeric,
 * timestamps and dates numeric in milliseconds since the epoch, strings, booleans and everything else
 * categorical; `forcedCategorical` columns are categorical whatever their type. Nulls are missing.
 *
 * @param bytes the whole file
 * @param file the file's name, for error messages
 * @throws InputFileError when the file is not readable Parquet (truncated, corrupt, unsupported), has
 *   no rows, or has a nested (list, map or struct) column
 * @example
 * const dataset = await readParquet(readFileSync("flights.parquet"), "flights.parquet", new Set(), { maxRows: 100 });
 */
export async function readParquet(
  bytes: Uint8Array,
  file: string,
  forcedCategorical: ReadonlySet<string>,
  limits: ParquetReadLimits = {},
): Promise<Dataset> {
  const buffer = toArrayBuffer(bytes);
  const metadata = readMetadata(buffer, file);
  const rows = Math.min(Number(metadata.num_rows), limits.maxRows ?? Number.POSITIVE_INFINITY);
  if (rows === 0) throw new InputFileError(file, "the file has no rows");
  const sinks = new Map(
    columnSinks(metadata, file, forcedCategorical, rows).map((sink) => [sink.name, sink]),
  );
  // hyparquet calls onChunk from a promise callback and swallows what it throws; keep it to rethrow.
  let failure: unknown;
  const onChunk = (chunk: ColumnData) => {
    try {
      sinks.get(chunk.columnName)?.write(chunk, rows);
    } catch (error) {
      failure ??= error;
    }
  };
  try {
    // One row group at a time: hyparquet otherwise decodes every group at once, and holding all of
    // them (3M flights: 650 MB) costs more in garbage collection than the decoding itself.
    let groupStart = 0;
    for (const group of metadata.row_groups) {
      const groupEnd = Math.min(groupStart + Number(group.num_rows), rows);
      if (groupEnd > groupStart) {
        await parquetRead({
          file: buffer,
          metadata,
          rowStart: groupStart,
          rowEnd: groupEnd,
          compressors,
          parsers: EPOCH_MILLISECOND_PARSERS,
          onChunk,
        });
      }
      groupStart += Number(group.num_rows);
    }
  } catch (error) {
    throw new InputFileError(file, `not a readable Parquet file (${(error as Error).message})`);
  }
  if (failure) throw failure;
  return { rows, columns: new Map([...sinks].map(([name, sink]) => [name, sink.finish()])) };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) return buffer;
  return new Uint8Array(bytes).buffer;
}

function readMetadata(buffer: ArrayBuffer, file: string): FileMetaData {
  try {
    return parquetMetadata(buffer);
  } catch (error) {
    throw new InputFileError(file, `not a readable Parquet file (${(error as Error).message})`);
  }
}

interface ColumnSink {
  name: string;
  write(chunk: ColumnData, rows: number): void;
  finish(): Column;
}

function columnSinks(
  metadata: FileMetaData,
  file: string,
  forcedCategorical: ReadonlySet<string>,
  rows: number,
): ColumnSink[] {
  return parquetSchema(metadata).children.map(({ element, children }) => {
    if (children.length > 0) {
      throw new InputFileError(
        file,
        `column "${element.name}" is nested (a list, map or struct); only flat columns can be compared`,
      );
    }
    const numeric =
      (NUMERIC_TYPES.has(element.type ?? "") || element.converted_type === "DECIMAL") &&
      !forcedCategorical.has(element.name);
    return numeric ? numericSink(element.name, rows) : categoricalSink(element.name, rows);
  });
}

/** The rows of a chunk inside [0, rows): chunks may overhang the requested range. */
function rowsInRange(chunk: ColumnData, rows: number): { from: number; to: number } {
  return { from: Math.max(chunk.rowStart, 0), to: Math.min(chunk.rowEnd, rows) };
}

function numericSink(name: string, rows: number): ColumnSink {
  const values = new Float64Array(rows).fill(Number.NaN);
  return {
    name,
    write(chunk) {
      const { from, to } = rowsInRange(chunk, rows);
      const data = chunk.columnData;
      for (let row = from; row < to; row++) {
        const value = data[row - chunk.rowStart];
        // INT64 columns decode to bigint; Number() also turns a stray Date into its epoch milliseconds.
        values[row] = value === null || value === undefined ? Number.NaN : Number(value);
      }
    },
    finish: () => ({ kind: "numeric", values }),
  };
}

function categoricalSink(name: string, rows: number): ColumnSink {
  const codes = new Int32Array(rows).fill(MISSING_CODE);
  const dictionary: string[] = [];
  const codeOf = new Map<string, number>();
  return {
    name,
    write(chunk) {
      const { from, to } = rowsInRange(chunk, rows);
      const data = chunk.columnData;
      for (let row = from; row < to; row++) {
        const value = data[row - chunk.rowStart];
        if (value === null || value === undefined) continue;
        const text = categoryText(value);
        let code = codeOf.get(text);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(text);
          codeOf.set(text, code);
        }
        codes[row] = code;
      }
    },
    finish: () => ({ kind: "categorical", codes, dictionary }),
  };
}

/** A value's category: strings as they are, JSON values (Parquet JSON columns) as JSON, the rest printed. */
function categoryText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object") {
    return JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? inner.toString() : inner));
  }
  return String(value);
}
