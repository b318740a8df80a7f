import { rmSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { InputFileError } from "#shared/readers/input-file-error";
import { openRecordRows } from "#shared/readers/record-rows";
import { ApiFailedError, DEFAULT_RETRY_POLICY, EXIT_API_FAILED } from "./api-client.ts";
import {
  type ApiCommandOptions,
  addApiOptions,
  addRecordColumnOptions,
  addRetriesOption,
  recordColumns,
} from "./api-options.ts";
import { BaselineApi, UploadRefusedError, type UploadTicket } from "./baseline-api.ts";
import { writeBaselineFile } from "./baseline-file.ts";
import { type UploadOptions, uploadFile } from "./baseline-upload.ts";
import { createProgress, type Progress } from "./progress.ts";
import { formatCount as count, formatBytes, formatElapsed, progressBar } from "./progress-text.ts";
import { UsageError } from "./usage-error.ts";

/** An upload URL with less time left than this is replaced before the upload: the upload might outlast it. */
const TICKET_MARGIN_MS = 10 * 60_000;
/** Write errors that say the temporary folder is the problem, not the input file. */
const TEMPORARY_FILE_ERRORS = new Set(["ENOSPC", "EDQUOT", "EACCES", "EPERM", "EROFS"]);
/** Signals that end the process before `finally` could remove the temporary file. */
const ENDING_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

const HELP = `
Rows map as in driftwatch send (see its --help): an NDJSON line whose "features" is an object is a
  Record as the API takes it; any other row (CSV with a header row, Parquet, a flat NDJSON object)
  maps by column name: prediction, id (or --prediction-column, --id-column), timestamp, latencyMs,
  error, version, segment to those fields, proba_<label> to probabilities, every other column to a
  feature.

Every row is checked against the Record schema as the file is read: a bad row is listed on stderr
with its line (Parquet: its row number), and any bad row stops the command before anything is
uploaded. The records are written as gzip NDJSON to a temporary file (in TMPDIR, removed in every
case; at most 5 GB compressed, S3's limit for one upload), PUT to the storage URL the API hands out
(POST .../baseline/uploads), and registered (PUT .../baseline): the API checks every record again and
stores them as the model's next baseline version, which drift checks compare against from then on.
Earlier versions are kept (GET .../baseline lists them).
Network errors, 5xx from storage and 429, 502, 503, 504 from the API are retried with exponential
backoff and jitter. Setting a baseline takes the admin token. --api and --token may come from
DRIFTWATCH_API and DRIFTWATCH_TOKEN (keeps the token out of history).

Exit codes: 0 baseline version stored, 1 the API or storage failed (unreachable, or failing after
the retries), 2 bad input: bad rows (listed on stderr), an unreadable or too large file, an invalid
option, or the API refused the token or the model (401, 403, 404), 3 internal error.`;

/**
 * Adds `driftwatch baseline`: checks a CSV, NDJSON or Parquet file of reference records row by row,
 * uploads it compressed through a pre-signed URL (so its size is not bound by the API's payload
 * limits) and registers it as the model's next baseline version, with progress bars on stderr and
 * the version on stdout.
 */
export function addBaselineCommand(program: Command): void {
  const command = program
    .command("baseline")
    .description("set a model's baseline from a file of reference records (CSV, NDJSON or Parquet)")
    .argument("<file>", "the reference records: .csv (header row), .ndjson/.jsonl or .parquet");
  addApiOptions(command, {
    model: "the model whose baseline to set",
    token: "the admin token",
  });
  addRecordColumnOptions(command);
  addRetriesOption(command, "retries per request on network errors and the answers listed below")
    .addHelpText("after", HELP)
    .action(async (file: string, options: ApiCommandOptions) => {
      process.exitCode = await runBaseline(file, options);
    });
}

/** Sets one baseline and returns the exit code (bad input and refusals are thrown, for the caller to report). */
async function runBaseline(file: string, options: ApiCommandOptions): Promise<number> {
  const started = performance.now();
  const policy = { ...DEFAULT_RETRY_POLICY, retries: options.retries };
  const progress = createProgress();
  const onRetry = (note: string) => {
    if (!process.stderr.isTTY) process.stderr.write(`driftwatch: note: ${note}\n`);
    progress.step(`retrying: ${note}`);
  };
  const api = new BaselineApi({ ...options, policy, onRetry });
  const source = await openRecordRows(file, recordColumns(options));
  const fileBytes = (await stat(file)).size;
  const folder = await temporaryFolder();
  try {
    // Asked for first, so a wrong token or model stops the command before it reads a large file.
    let ticket = await api.createUpload();
    const path = join(folder.path, "records.ndjson.gz");
    const tally = await writeBaselineFile(source.rows, path, {
      file,
      onRejected: (line, problems) => {
        progress.done();
        process.stderr.write(`driftwatch: ${file}: ${source.unit} ${line}: ${problems.join("; ")}\n`);
      },
      onProgress: ({ rows, rejected }) => {
        const bad = rejected > 0 ? `, ${count(rejected)} bad` : "";
        progress.step(`reading ${file} ${progressBar(source.fractionRead())} ${count(rows)} rows${bad}`);
      },
    }).catch((error: unknown) => {
      throw temporaryFileProblem(error);
    });
    if (tally.rejected > 0) {
      const rows =
        tally.rejected === 1 ? `1 ${source.unit} is` : `${count(tally.rejected)} ${source.unit}s are`;
      throw new InputFileError(file, `${rows} not valid records (listed above); nothing was uploaded`);
    }
    if (Date.parse(ticket.expiresAt) - Date.now() < TICKET_MARGIN_MS) ticket = await api.createUpload();
    await upload(file, path, tally.bytes, ticket, progress, { policy, onRetry });
    progress.step(`registering ${count(tally.rows)} records: the API checks each of them`);
    const version = await api.register(ticket.uploadId).catch((error: unknown) => {
      throw refusedUpload(error, file, progress);
    });
    progress.done();
    process.stdout.write(
      `baseline version ${version.version} of model ${options.model}: ${count(version.rows)} rows ` +
        `(${file}, ${formatBytes(fileBytes)}, ${formatBytes(tally.bytes)} uploaded, ${formatElapsed(started)})\n`,
    );
    return 0;
  } catch (error) {
    progress.done();
    if (!(error instanceof ApiFailedError)) throw error;
    process.stderr.write(`driftwatch: ${error.message}\n`);
    return EXIT_API_FAILED;
  } finally {
    await folder.remove();
  }
}

function upload(
  file: string,
  path: string,
  bytes: number,
  ticket: UploadTicket,
  progress: Progress,
  options: Pick<UploadOptions, "policy" | "onRetry">,
): Promise<void> {
  const total = formatBytes(bytes);
  progress.step(`uploading ${file} ${progressBar(0)} 0 B of ${total}`);
  return uploadFile(path, bytes, ticket, {
    ...options,
    onProgress: (sent) =>
      progress.step(`uploading ${file} ${progressBar(sent / bytes)} ${formatBytes(sent)} of ${total}`),
  });
}

/** Lists the records the API refused, by their place in the file, and returns the error to end with. */
function refusedUpload(error: unknown, file: string, progress: Progress): unknown {
  if (!(error instanceof UploadRefusedError)) return error;
  progress.done();
  for (const { path, message } of error.errors) {
    // The upload holds one line per row of the file, in order: its line N is the file's N-th record.
    const where = path.replace(/^line (\d+)/, "record $1");
    process.stderr.write(`driftwatch: ${file}: ${where}: ${message}\n`);
  }
  return new InputFileError(file, error.message);
}

/** A folder of this process's own for the compressed records, removed in every case, an interrupt included. */
async function temporaryFolder(): Promise<{ path: string; remove(): Promise<void> }> {
  let path: string;
  try {
    path = await mkdtemp(join(tmpdir(), "driftwatch-baseline-"));
  } catch (error) {
    throw new UsageError(
      `cannot create a temporary folder in ${tmpdir()} (${(error as Error).message}); set TMPDIR to a writable folder`,
    );
  }
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(path, { recursive: true, force: true });
    // The listener is gone now (once), so the signal ends the process as it would have.
    process.kill(process.pid, signal);
  };
  for (const signal of ENDING_SIGNALS) process.once(signal, onSignal);
  return {
    path,
    async remove() {
      for (const signal of ENDING_SIGNALS) process.off(signal, onSignal);
      await rm(path, { recursive: true, force: true });
    },
  };
}

/** A full or read-only temporary folder, said so, with the way out; any other error unchanged. */
function temporaryFileProblem(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined || !TEMPORARY_FILE_ERRORS.has(code)) return error;
  return new UsageError(
    `cannot write the temporary file in ${tmpdir()} (${(error as Error).message}); ` +
      "set TMPDIR to a folder with room for the compressed records",
  );
}
