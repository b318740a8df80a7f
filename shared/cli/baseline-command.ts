import { rmSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { ApiFailedError, DEFAULT_RETRY_POLICY } from "#shared/http/with-retries";
import { InputFileError } from "#shared/readers/input-file-error";
import { openRecordRows } from "#shared/readers/record-rows";
import type { BaselineUploadUrl, UploadReference } from "#shared/schemas/baseline";
import { SMALLEST_PART_BYTES } from "#shared/util/upload-parts";
import { EXIT_API_FAILED } from "./api-client.ts";
import {
  type ApiCommandOptions,
  addApiOptions,
  addRecordColumnOptions,
  addRetriesOption,
  recordColumns,
  wholeNumber,
} from "./api-options.ts";
import { BaselineApi, type RegisteredBaseline, UploadRefusedError } from "./baseline-api.ts";
import { writeBaselineFile } from "./baseline-file.ts";
import { abortUpload, type UploadOptions, uploadFile, uploadParts } from "./baseline-upload.ts";
import { createProgress, type Progress } from "./progress.ts";
import { formatCount as count, formatBytes, formatElapsed, progressBar } from "./progress-text.ts";
import { UsageError } from "./usage-error.ts";

/** A single-PUT URL with less time left than this is replaced before the upload: the upload might outlast it. */
const TICKET_MARGIN_MS = 10 * 60_000;
/** Write errors that say the temporary folder is the problem, not the input file. */
const TEMPORARY_FILE_ERRORS = new Set(["ENOSPC", "EDQUOT", "EACCES", "EPERM", "EROFS"]);
/** How long to wait for a large upload's registration unless --wait-minutes says otherwise, and at most. */
const DEFAULT_WAIT_MINUTES = 60;
const MAX_WAIT_MINUTES = 24 * 60;
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
case) and uploaded through the pre-signed URLs the API hands out (POST .../baseline/uploads): up to
8 MiB in one PUT, a larger file as an S3 multipart upload in parts of 8 MiB, 4 at a time (at most
1,000 parts: past 8.4 GB the parts double in size, up to 4.3 TB in all), within the hour the part
URLs are valid. Then the upload is registered (PUT .../baseline): the API checks every record again
and stores them as the model's next baseline version, which drift checks compare against from then
on. A file over 8 MiB compressed is registered after the answer: the API answers that it is
registering, and the command polls GET .../baseline/uploads/<uploadId> (every 1 s, growing to
10 s; "registering..." on stderr) until the version is stored or the records are refused, for up
to --wait-minutes; past that it exits 1, and the registration may still finish: that same GET
tells. Earlier versions are kept (GET .../baseline lists them). A multipart upload that fails is
aborted; one the command could not abort (it was killed) the bucket aborts after a day, and an
upload never registered expires after a day too.
Network errors, 5xx from storage and 429, 502, 503, 504 from the API are retried with exponential
backoff and jitter, each part on its own. Setting a baseline takes the admin token. --api and
--token may come from DRIFTWATCH_API and DRIFTWATCH_TOKEN (keeps the token out of history).

Exit codes: 0 baseline version stored, 1 the API or storage failed (unreachable, or failing after
the retries), or the registration was still running after --wait-minutes, 2 bad input: bad rows (listed on stderr), an unreadable or too large file, an invalid
option, or the API refused the token or the model (401, 403, 404), 3 internal error.`;

/**
 * Adds `driftwatch baseline`: checks a CSV, NDJSON or Parquet file of reference records row by row,
 * uploads it compressed through pre-signed URLs, in parts when it is large (so its size is not bound
 * by the API's payload limits), and registers it as the model's next baseline version, with progress
 * bars on stderr and the version on stdout.
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
    .option(
      "--wait-minutes <minutes>",
      "how long to wait for the API to register a large upload",
      wholeNumber(1, MAX_WAIT_MINUTES),
      DEFAULT_WAIT_MINUTES,
    )
    .addHelpText("after", HELP)
    .action(async (file: string, options: BaselineCommandOptions) => {
      process.exitCode = await runBaseline(file, options);
    });
}

interface BaselineCommandOptions extends ApiCommandOptions {
  waitMinutes: number;
}

/** Sets one baseline and returns the exit code (bad input and refusals are thrown, for the caller to report). */
async function runBaseline(file: string, options: BaselineCommandOptions): Promise<number> {
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
    const ticket = await api.createUpload();
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
    const uploading: Uploading = { file, path, bytes: tally.bytes, progress, policy, onRetry };
    // A file of one part goes in one PUT, to the URL asked for first; a larger one in parts.
    const upload =
      tally.bytes <= SMALLEST_PART_BYTES
        ? await uploadWhole(api, ticket, uploading)
        : await uploadInParts(api, uploading);
    progress.step(`registering ${count(tally.rows)} records: the API checks each of them`);
    const version = await registered(api, upload.reference, options.waitMinutes, progress).catch(
      async (error: unknown) => {
        if (upload.abortUrl) await abortUpload(upload.abortUrl);
        throw refusedUpload(error, file, progress);
      },
    );
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

/** Registers the upload, and waits for the API to finish when it registers it after answering (202). */
async function registered(
  api: BaselineApi,
  reference: UploadReference,
  waitMinutes: number,
  progress: Progress,
): Promise<RegisteredBaseline> {
  const answer = await api.register(reference);
  if (!("status" in answer)) return answer;
  return api.waitForRegistration(answer.uploadId, {
    waitMs: waitMinutes * 60_000,
    onWaiting: (waited) =>
      progress.step(`registering… the API checks each record (${(waited / 1000).toFixed(0)} s)`),
  });
}

/** A compressed file of records on its way to storage, with what the messages and retries need. */
interface Uploading extends Pick<UploadOptions, "policy" | "onRetry"> {
  /** The input file, for messages. */
  file: string;
  /** The compressed records. */
  path: string;
  bytes: number;
  progress: Progress;
}

/** An upload in storage, as the registration names it; a multipart one can be given up until then. */
interface Uploaded {
  reference: UploadReference;
  abortUrl?: string;
}

/** PUTs the file whole to `ticket`, or to a fresh URL when that one might expire during the upload. */
async function uploadWhole(
  api: BaselineApi,
  ticket: BaselineUploadUrl,
  uploading: Uploading,
): Promise<Uploaded> {
  const target =
    Date.parse(ticket.expiresAt) - Date.now() < TICKET_MARGIN_MS ? await api.createUpload() : ticket;
  await uploadFile(uploading.path, uploading.bytes, target, uploadOptions(uploading));
  return { reference: { id: target.uploadId } };
}

/** Uploads the file in parts; a failed upload is given up at once rather than left for the bucket to abort in a day. */
async function uploadInParts(api: BaselineApi, uploading: Uploading): Promise<Uploaded> {
  const multipart = await api.createMultipartUpload(uploading.bytes);
  const options = uploadOptions(uploading);
  const parts = await uploadParts(uploading.path, uploading.bytes, multipart, options).catch(
    async (error: unknown) => {
      await abortUpload(multipart.abort.url);
      throw error;
    },
  );
  return {
    reference: { id: multipart.uploadId, multipartUploadId: multipart.multipartUploadId, parts },
    abortUrl: multipart.abort.url,
  };
}

/** The retry policy and a progress bar over the bytes sent. */
function uploadOptions({ file, bytes, progress, policy, onRetry }: Uploading): UploadOptions {
  const total = formatBytes(bytes);
  progress.step(`uploading ${file} ${progressBar(0)} 0 B of ${total}`);
  return {
    policy,
    onRetry,
    onProgress: (sent) =>
      progress.step(`uploading ${file} ${progressBar(sent / bytes)} ${formatBytes(sent)} of ${total}`),
  };
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
