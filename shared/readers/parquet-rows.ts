import {
  type AsyncBuffer,
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { InputFileError } from "./input-file-error.ts";

export interface ParquetRows {
  /** The column names, in schema order: the order of each row's values. */
  columns: string[];
  rowCount: number;
  /** The rows in file order, each as its values; one row group is decoded at a time. */
  rows(): AsyncGenerator<unknown[]>;
}

/**
 * Opens a Parquet file for reading row by row. Only the footer is read here; `rows()` then decodes one
 * row group at a time (hyparquet's `rowStart`/`rowEnd`), so memory holds one group, not the file.
 * Values are as hyparquet decodes them: numbers, 64-bit integers as bigint, strings, booleans, dates
 * and timestamps as `Date`, null.
 *
 * @throws InputFileError when the file is not readable Parquet, has no rows, or has a nested (list,
 *   map or struct) column
 * @example
 * const parquet = await openParquetRows("logs.parquet");
 * for await (const values of parquet.rows()) console.log(Object.fromEntries(parquet.columns.map((name, i) => [name, values[i]])));
 */
export async function openParquetRows(file: string): Promise<ParquetRows> {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await readMetadata(buffer, file);
  const columns = parquetSchema(metadata).children.map(({ element, children }) => {
    if (children.length > 0) {
      throw new InputFileError(
        file,
        `column "${element.name}" is nested (a list, map or struct); only flat columns can be sent`,
      );
    }
    return element.name;
  });
  const rowCount = Number(metadata.num_rows);
  if (rowCount === 0) throw new InputFileError(file, "the file has no rows");
  return { columns, rowCount, rows: () => groupRows(buffer, metadata, file) };
}

async function* groupRows(
  buffer: AsyncBuffer,
  metadata: FileMetaData,
  file: string,
): AsyncGenerator<unknown[]> {
  let groupStart = 0;
  for (const group of metadata.row_groups) {
    const groupEnd = groupStart + Number(group.num_rows);
    if (groupEnd === groupStart) continue;
    let rows: unknown[][] = [];
    try {
      await parquetRead({
        file: buffer,
        metadata,
        rowStart: groupStart,
        rowEnd: groupEnd,
        compressors,
        onComplete: (decoded) => {
          rows = decoded as unknown[][];
        },
      });
    } catch (error) {
      throw new InputFileError(file, `not a readable Parquet file (${(error as Error).message})`);
    }
    yield* rows;
    groupStart = groupEnd;
  }
}

async function readMetadata(buffer: AsyncBuffer, file: string): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(buffer);
  } catch (error) {
    throw new InputFileError(file, `not a readable Parquet file (${(error as Error).message})`);
  }
}
