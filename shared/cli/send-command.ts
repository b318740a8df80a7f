import type { Command } from "commander";
import { ApiFailedError } from "#shared/http/with-retries";
import { InputFileError } from "#shared/readers/input-file-error";
import { openRecordRows, type RecordRows } from "#shared/readers/record-rows";
import { MAX_RECORDS_PER_REQUEST } from "#shared/schemas/prediction-record";
import { EXIT_API_FAILED, modelUrl } from "./api-client.ts";
import {
  type ApiCommandOptions,
  addApiOptions,
  addRecordColumnOptions,
  addRetriesOption,
  recordColumns,
  wholeNumber,
} from "./api-options.ts";
import { createProgress } from "./progress.ts";
import { formatCount as count, formatElapsed, progressBar } from "./progress-text.ts";
import { emptySummary, type SendSummary, sendRows } from "./send-batches.ts";

interface SendCommandOptions extends ApiCommandOptions {
  batchSize: number;
}

const HELP = `
Rows: an NDJSON line whose "features" is an object is a Record as the API takes it,
  {id?, timestamp?, features: {...}, prediction, probabilities?, latencyMs?, error?, version?, segment?}.
  Any other row (CSV with a header row, Parquet, a flat NDJSON object) maps by column name:
    id, timestamp, prediction, latencyMs, error, version, segment   to those fields
    proba_<label>                                                   to probabilities.<label>
    every other column                                              to features.<column>
  --prediction-column and --id-column name other columns as the prediction and the id.
  CSV: a cell that is a decimal number is sent as a number, an empty cell as null (an empty id,
  timestamp, prediction, ... is left out), error takes true/false/1/0. Parquet and NDJSON values keep
  their type; Parquet timestamps become ISO-8601 in timestamp and epoch milliseconds as features.

Each row is checked against the Record schema first: a bad row is listed on stderr with its line
(Parquet: its row number) and not sent; the good rows are. A row without an id gets a random UUID,
so a retried request never stores it twice; ids in the file make re-sending it store nothing new.
Requests carry up to --batch-size records and stay under the API's 6 MB limit; 429, 502, 503, 504
and network errors are retried with exponential backoff and jitter, honouring Retry-After.
--api and --token may come from DRIFTWATCH_API and DRIFTWATCH_TOKEN (keeps the token out of history).

Exit codes: 0 every row stored (or stored before), 1 the API failed (unreachable, or failing after
the retries; the summary says what was stored), 2 bad input: rows not sent (listed on stderr), an
unreadable file, an invalid option, or the API refused the token or the model (401, 403, 404),
3 internal error.`;

/**
 * Adds `driftwatch send`: streams a CSV, NDJSON or Parquet file of prediction logs to the API in
 * batches, with a progress bar on stderr, bad rows listed by line, and a summary on stdout.
 */
export function addSendCommand(program: Command): void {
  const command = program
    .command("send")
    .description("send a file of prediction logs (CSV, NDJSON or Parquet) to the DriftWatch API")
    .argument("<file>", "the prediction logs: .csv (header row), .ndjson/.jsonl or .parquet");
  addApiOptions(command, {
    model: "the model the predictions belong to",
    token: "a bearer token: the model's token or the admin token",
  }).option(
    "--batch-size <n>",
    `records per request, 1 to ${MAX_RECORDS_PER_REQUEST}`,
    wholeNumber(1, MAX_RECORDS_PER_REQUEST),
    MAX_RECORDS_PER_REQUEST,
  );
  addRecordColumnOptions(command);
  addRetriesOption(command, "retries per request on 429, 502, 503, 504 and network errors")
    .addHelpText("after", HELP)
    .action(async (file: string, options: SendCommandOptions) => {
      process.exitCode = await runSend(file, options);
    });
}

/** Sends one file and returns the exit code (bad input and refusals are thrown, for the caller to report). */
async function runSend(file: string, options: SendCommandOptions): Promise<number> {
  // Checked before the file is opened, as usage errors that name the option.
  modelUrl(options.api, options.model, "predictions");
  const started = performance.now();
  const source = await openRecordRows(file, recordColumns(options));
  const progress = createProgress();
  const summary = emptySummary();
  const showProgress = (waiting?: string) => progress.step(progressLine(file, source, summary, waiting));
  try {
    await sendRows(source.rows, summary, {
      api: options.api,
      model: options.model,
      token: options.token,
      batchSize: options.batchSize,
      unit: source.unit,
      retry: { retries: options.retries },
      onRejected: (line, problems) => {
        progress.done();
        process.stderr.write(`driftwatch: ${file}: ${source.unit} ${line}: ${problems.join("; ")}\n`);
      },
      onProgress: (waiting) => {
        if (waiting && !process.stderr.isTTY) process.stderr.write(`driftwatch: note: ${waiting}\n`);
        showProgress(waiting);
      },
    });
  } catch (error) {
    progress.done();
    if (summary.batches > 0) printSummary(summary, options.model, started);
    if (!(error instanceof ApiFailedError)) throw error;
    process.stderr.write(`driftwatch: ${error.message}\n`);
    return EXIT_API_FAILED;
  }
  progress.done();
  printSummary(summary, options.model, started);
  if (summary.rejected > 0) {
    const rows =
      summary.rejected === 1 ? `1 ${source.unit} was` : `${count(summary.rejected)} ${source.unit}s were`;
    throw new InputFileError(file, `${rows} not stored (listed above)`);
  }
  return 0;
}

function progressLine(file: string, source: RecordRows, summary: SendSummary, waiting?: string): string {
  const bar = progressBar(source.fractionRead());
  const counts = `${count(summary.accepted)} accepted, ${count(summary.rejected)} rejected`;
  return `sending ${file} ${bar} ${counts}${waiting ? `; ${waiting}` : ""}`;
}

function printSummary(summary: SendSummary, model: string, started: number): void {
  const batches = summary.batches === 1 ? "1 batch" : `${count(summary.batches)} batches`;
  process.stdout.write(
    `sent ${count(summary.sent)} of ${count(summary.rows)} rows to model ${model} in ${batches}: ` +
      `${count(summary.accepted)} accepted (${count(summary.duplicates)} duplicates, stored before), ` +
      `${count(summary.rejected)} rejected; ${formatElapsed(started)}\n`,
  );
}
