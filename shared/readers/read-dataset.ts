import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { Dataset } from "#shared/drift/dataset";
import { InputFileError } from "./input-file-error.ts";
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
    return await readFile(file);
  } catch (error) {
    throw new InputFileError(file, describeFileError(error as NodeJS.ErrnoException));
  }
}

function describeFileError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "ENOENT":
      return "no such file";
    case "EISDIR":
      return "is a directory, not a file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    default:
      return `cannot read the file (${error.message})`;
  }
}
