import { open, readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Dataset } from "#shared/drift/dataset";
import { describeFileError, InputFileError } from "./input-file-error.ts";
import { readCsv } from "./read-csv.ts";
import { readNdjson } from "./read-ndjson.ts";
import type { ParquetReadLimits } from "./read-parquet.ts";

export interface ReadDatasetOptions extends ParquetReadLimits {
  /** Columns to read as categorical whatever their values (the CLI's `--categorical`). */
  categorical?: Iterable<string>;
}

type Reader = (
  bytes: Uint8Array,
  file: string,
  forcedCategorical: ReadonlySet<string>,
  options: ReadDatasetOptions,
) => Dataset | Promise<Dataset>;

const READERS: Record<string, Reader> = {
  ".csv": readCsv,
  ".ndjson": readNdjson,
  ".jsonl": readNdjson,
  // Loaded on first use: the Parquet decoder and its decompressors are most of the CLI's start-up
  // parsing, which a CSV or NDJSON comparison has no need of.
  ".parquet": async (...args) => (await import("./read-parquet.ts")).readParquet(...args),
};

/** The file types {@link readDataset} reads, by extension. */
export const SUPPORTED_EXTENSIONS = Object.keys(READERS);

/**
 * Reads a CSV, NDJSON/JSON Lines or Parquet file into a {@link Dataset}, choosing the format by the
 * file's extension (case-insensitive).
 *
 * @throws InputFileError for an unknown extension, a file that is missing, unreadable or empty, and
 *   every format error of the readers
 * @example
 * const reference = await readDataset("jan.csv", { categorical: ["weekday"] });
 */
export async function readDataset(file: string, options: ReadDatasetOptions = {}): Promise<Dataset> {
  const extension = extname(file).toLowerCase();
  const reader = READERS[extension];
  if (!reader) {
    throw new InputFileError(
      file,
      `unknown file type "${extension || "(none)"}"; expected ${SUPPORTED_EXTENSIONS.join(", ")}`,
    );
  }
  const bytes = await readBytes(file);
  if (bytes.length === 0) throw new InputFileError(file, "the file is empty");
  return reader(bytes, file, new Set(options.categorical ?? []), options);
}

async function readBytes(file: string): Promise<Buffer> {
  try {
    return await readWhole(file);
  } catch (error) {
    throw new InputFileError(file, describeFileError(error as NodeJS.ErrnoException));
  }
}

/**
 * The whole file, read with as few `read` calls as the OS allows (usually one). `readFile` reads in
 * 512 KiB chunks, each a round trip through the event loop, so a second file's read stalls while the
 * main thread parses the first; a single read carries on in the thread pool meanwhile, which lets the
 * CLI parse the reference while the current file is still being read. A file whose size `stat` does not
 * know (a pipe) is left to `readFile`.
 */
async function readWhole(file: string): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    if (size === 0) return await readFile(handle);
    const buffer = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}
