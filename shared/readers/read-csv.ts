import type { Dataset } from "#shared/drift/dataset";
import { CsvColumns } from "./csv-columns.ts";
import { CsvCursor } from "./csv-cursor.ts";
import { readRecords } from "./csv-records.ts";
import { InputFileError } from "./input-file-error.ts";

const LF = 10;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
/** Bytes sampled after the header to estimate the row count, so the columns rarely need to grow. */
const ROW_ESTIMATE_SAMPLE = 1 << 16;

/**
 * Reads a CSV file (RFC 4180: a header row, comma-separated, optional quotes, LF/CRLF/CR line ends,
 * optional UTF-8 BOM) into a {@link Dataset}. A column whose every non-missing value is a decimal
 * number is numeric, any other column categorical (its values kept as written), unless it is named
 * in `forcedCategorical`. Empty and blank cells, and `NaN` in a numeric column, are missing. Empty
 * lines are skipped.
 *
 * @param bytes the whole file
 * @param file the file's name, for error messages
 * @throws InputFileError when the file is empty, has no data rows, has a row with the wrong number of
 *   fields (naming its line), a duplicate column name, or an unclosed quote
 * @example
 * readCsv(new TextEncoder().encode("x,y\n1,a\n2,b\n"), "data.csv", new Set()).columns.get("x");
 * // { kind: "numeric", values: Float64Array [1, 2] }
 */
export function readCsv(bytes: Uint8Array, file: string, forcedCategorical: ReadonlySet<string>): Dataset {
  const bom = UTF8_BOM.every((byte, i) => bytes[i] === byte) ? UTF8_BOM.length : 0;
  const cursor = new CsvCursor(bytes, bom, file);
  cursor.skipBlankLines();
  if (cursor.atEnd) throw new InputFileError(file, "the file is empty");
  const names = readHeader(cursor, file);
  cursor.skipBlankLines();
  const dataStart = cursor.pos;
  if (cursor.atEnd) throw new InputFileError(file, "the file has a header but no data rows");

  const columns = new CsvColumns(names, forcedCategorical, estimateRows(bytes, dataStart));
  const rows = readRecords(cursor, columns, names.length);
  rereadEarlyRows(new CsvCursor(bytes, dataStart, file), columns, names.length);
  return { rows, columns: columns.finish(rows) };
}

function readHeader(cursor: CsvCursor, file: string): string[] {
  const names: string[] = [];
  let last = false;
  while (!last) {
    last = cursor.readField();
    // pandas writes its index column with an empty header; name it the way pandas reads it back.
    names.push(cursor.fieldText() || `Unnamed: ${names.length}`);
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new InputFileError(file, `the header names column "${name}" twice`);
    seen.add(name);
  }
  return names;
}

/** Fills in the rows each column read as numbers before it turned categorical. */
function rereadEarlyRows(cursor: CsvCursor, columns: CsvColumns, width: number): void {
  const pending = columns.pendingRows();
  const until = Math.max(0, ...pending);
  for (let row = 0; row < until; row++) {
    cursor.skipBlankLines();
    for (let col = 0; col < width; col++) {
      cursor.readField();
      if (row < (pending[col] as number)) columns.storeEarlyCode(cursor, col, row);
    }
  }
}

function estimateRows(bytes: Uint8Array, dataStart: number): number {
  const sampleEnd = Math.min(bytes.length, dataStart + ROW_ESTIMATE_SAMPLE);
  let lineBreaks = 0;
  for (let pos = dataStart; pos < sampleEnd; pos++) if (bytes[pos] === LF) lineBreaks++;
  if (lineBreaks === 0) return 1024;
  return Math.ceil(((bytes.length - dataStart) * lineBreaks * 1.02) / (sampleEnd - dataStart)) + 16;
}
