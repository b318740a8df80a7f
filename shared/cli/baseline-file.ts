import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { InputFileError } from "#shared/readers/input-file-error";
import { checkRecord, type RecordRow } from "#shared/readers/record-rows";
import { MAX_PARTS, MAX_UPLOAD_BYTES } from "#shared/util/upload-parts";
import { formatBytes, formatCount } from "./progress-text.ts";

/** Lines go to gzip in pieces of about this many characters: a write per line would cost more than the compression. */
const CHUNK_CHARS = 1 << 16;
/** Rows between two progress reports. */
const PROGRESS_ROWS = 1000;

/** What a run has written so far; updated as it goes, for a progress line. */
export interface BaselineFileTally {
  /** Rows read, good or bad. */
  rows: number;
  /** Rows that are not valid records. */
  rejected: number;
  /** Compressed bytes written. */
  bytes: number;
}

export interface BaselineFileOptions {
  /** The file the rows come from, for messages. */
  file: string;
  /** Called for every row that is not a valid record, with each of its problems. */
  onRejected(line: number, problems: string[]): void;
  onProgress?(tally: BaselineFileTally): void;
  /** The largest compressed file allowed (default {@link MAX_UPLOAD_BYTES}). */
  maxBytes?: number;
}

/**
 * Writes the rows as the records the API takes, one JSON line each, gzip-compressed to `path`: the
 * file `PUT /v1/models/{id}/baseline` registers from an upload. Every row is checked against the
 * Record schema first, so a bad one is found here, before anything is uploaded; after the first bad
 * row nothing more is written, but the rest is still read so that every bad row is reported.
 *
 * @returns the tally at the end; the file holds `rows` records only when `rejected` is 0
 * @throws InputFileError as soon as the compressed records pass `maxBytes`, and for a file that
 *   cannot be read; a write error (a full disk) as it comes
 * @example
 * const source = await openRecordRows("reference.csv");
 * const tally = await writeBaselineFile(source.rows, "/tmp/records.ndjson.gz", {
 *   file: "reference.csv",
 *   onRejected: (line, problems) => console.error(`line ${line}: ${problems.join("; ")}`),
 * });
 */
export async function writeBaselineFile(
  rows: AsyncIterable<RecordRow>,
  path: string,
  options: BaselineFileOptions,
): Promise<BaselineFileTally> {
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  const tally: BaselineFileTally = { rows: 0, rejected: 0, bytes: 0 };
  const output = createWriteStream(path);
  const measure = () => {
    tally.bytes = output.bytesWritten;
    if (tally.bytes > maxBytes) {
      throw new InputFileError(
        options.file,
        `its records take more than ${formatBytes(maxBytes)} compressed, the most one upload may hold ` +
          `(${formatCount(MAX_PARTS)} parts); set the baseline from a sample of the file`,
      );
    }
  };
  async function* ndjson(): AsyncGenerator<string> {
    let chunk = "";
    for await (const item of rows) {
      tally.rows++;
      const checked = "problem" in item ? { problems: [item.problem] } : checkRecord(item.row);
      if ("problems" in checked) {
        tally.rejected++;
        options.onRejected(item.line, checked.problems);
      } else if (tally.rejected === 0) {
        chunk += `${JSON.stringify(checked.record)}\n`;
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = "";
          measure();
        }
      }
      if (tally.rows % PROGRESS_ROWS === 0) options.onProgress?.(tally);
    }
    if (chunk && tally.rejected === 0) yield chunk;
  }
  await pipeline(ndjson, createGzip(), output);
  measure();
  options.onProgress?.(tally);
  return tally;
}
