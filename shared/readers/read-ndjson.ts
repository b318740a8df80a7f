import type { Dataset } from "#shared/drift/dataset";
import { InputFileError } from "./input-file-error.ts";
import { ValueColumnBuilder } from "./value-column.ts";

const LF = 10;

/**
 * Reads newline-delimited JSON (one flat object per line) into a {@link Dataset}. Numbers are numeric;
 * strings and booleans are categorical (a JSON string stays a category even if it spells a number);
 * null and absent keys are missing. A column mixing numbers and strings is categorical. Columns are
 * in order of first appearance; blank lines are skipped.
 *
 * @param bytes the whole file
 * @param file the file's name, for error messages
 * @throws InputFileError when the file holds no object, a line is not valid JSON or not an object,
 *   or a value is a nested object or array (naming the line and the key)
 * @example
 * readNdjson(new TextEncoder().encode('{"x":1,"y":"a"}\n{"x":2}\n'), "data.ndjson", new Set()).rows; // 2
 */
export function readNdjson(bytes: Uint8Array, file: string, forcedCategorical: ReadonlySet<string>): Dataset {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const columns = new Map<string, ValueColumnBuilder>();
  let rows = 0;
  let line = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(LF, start);
    const end = newline < 0 ? bytes.length : newline;
    line++;
    // trim() also drops the UTF-8 byte order mark some editors write before the first line.
    const source = text.toString("utf8", start, end).trim();
    start = end + 1;
    if (source === "") continue;
    const record = parseRecord(source, file, line);
    for (const [key, value] of Object.entries(record)) {
      let column = columns.get(key);
      if (!column) {
        column = new ValueColumnBuilder(forcedCategorical.has(key), rows);
        columns.set(key, column);
      }
      push(column, value, file, line, key);
    }
    rows++;
    for (const column of columns.values()) if (column.length < rows) column.pushMissing();
  }
  if (rows === 0) throw new InputFileError(file, "the file is empty");
  return { rows, columns: new Map([...columns].map(([name, column]) => [name, column.finish()])) };
}

function parseRecord(source: string, file: string, line: number): Record<string, unknown> {
  let record: unknown;
  try {
    record = JSON.parse(source);
  } catch (error) {
    throw new InputFileError(file, `line ${line} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new InputFileError(file, `line ${line} is not a JSON object`);
  }
  return record as Record<string, unknown>;
}

function push(column: ValueColumnBuilder, value: unknown, file: string, line: number, key: string): void {
  if (value === null) column.pushMissing();
  else if (typeof value === "number") column.pushNumber(value);
  else if (typeof value === "string") column.pushText(value);
  else if (typeof value === "boolean") column.pushText(String(value));
  else {
    const kind = Array.isArray(value) ? "an array" : "a nested object";
    throw new InputFileError(
      file,
      `line ${line}: "${key}" holds ${kind}; each line must be a flat object of numbers, strings, booleans and nulls`,
    );
  }
}
