import type { Dataset } from "#shared/drift/dataset";
import { InputFileError } from "#shared/readers/input-file-error";
import { readDataset } from "#shared/readers/read-dataset";
import type { Progress } from "./progress.ts";
import { UsageError } from "./usage-error.ts";

export interface DatasetPair {
  reference: Dataset;
  current: Dataset;
  /** Columns present in only one of the files, which are not compared. */
  unmatched: { reference: string[]; current: string[] };
}

export interface DatasetPaths {
  reference: string;
  current: string;
}

/**
 * Reads the reference and current files so that every column they share has one type in both: a
 * column that reads as numbers in one file but not in the other is re-read as categorical, so each
 * category is the file's own text ("007", "1.50"), not a number printed back. Columns in only one
 * file stay (the engine lists them in the report) and are named in `unmatched`.
 *
 * @param categorical columns forced categorical (`--categorical`); each must exist in at least one file
 * @throws InputFileError for an unreadable file, or when the files share no column (naming the current one)
 * @throws UsageError when a `--categorical` column is in neither file
 */
export async function loadDatasetPair(
  paths: DatasetPaths,
  categorical: readonly string[],
  progress: Progress,
): Promise<DatasetPair> {
  progress.step(`reading ${paths.reference} and ${paths.current}`);
  // Both reads start at once, so the current file's I/O overlaps the parsing of the reference. They are
  // awaited in order, so an error in both files still names the reference; the early catch only keeps a
  // failed current read from counting as unhandled while the reference is awaited.
  const referenceRead = readDataset(paths.reference, { categorical });
  const currentRead = readDataset(paths.current, { categorical });
  currentRead.catch(() => undefined);
  let reference = await referenceRead;
  let current = await currentRead;

  const unknown = categorical.filter((name) => !reference.columns.has(name) && !current.columns.has(name));
  if (unknown.length > 0) {
    throw new UsageError(
      `--categorical: no column ${unknown.map((name) => `"${name}"`).join(", ")} in either file`,
    );
  }
  const shared = [...reference.columns.keys()].filter((name) => current.columns.has(name));
  if (shared.length === 0) {
    throw new InputFileError(paths.current, `no column in common with ${paths.reference}`);
  }
  const mixed = shared.filter(
    (name) => reference.columns.get(name)?.kind !== current.columns.get(name)?.kind,
  );
  if (mixed.length > 0) {
    const forced = [...categorical, ...mixed];
    progress.step(`re-reading ${mixed.join(", ")} as categorical`);
    if (mixed.some((name) => reference.columns.get(name)?.kind === "numeric")) {
      reference = await readDataset(paths.reference, { categorical: forced });
    }
    if (mixed.some((name) => current.columns.get(name)?.kind === "numeric")) {
      current = await readDataset(paths.current, { categorical: forced });
    }
  }
  return {
    reference,
    current,
    unmatched: {
      reference: [...reference.columns.keys()].filter((name) => !current.columns.has(name)),
      current: [...current.columns.keys()].filter((name) => !reference.columns.has(name)),
    },
  };
}
