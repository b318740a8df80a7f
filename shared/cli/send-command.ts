import { type Command, InvalidArgumentError, Option } from "commander";
import { InputFileError } from "#shared/readers/input-file-error";
import { DEFAULT_RECORD_COLUMNS, openRecordRows, type RecordRows } from "#shared/readers/record-rows";
import { modelIdSchema } from "#shared/schemas/model-id";
import { MAX_RECORDS_PER_REQUEST } from "#shared/schemas/prediction-record";
import { createProgress } from "./progress.ts";
import {
  ApiFailedError,
  DEFAULT_RETRY_POLICY,
  emptySummary,
  type SendSummary,
  sendRows,
} from "./send-batches.ts";
import { UsageError } from "./usage-error.ts";

/** The API could not take the records: unreachable, or still failing after the retries. */
export const EXIT_API_FAILED = 1;

const BAR_WIDTH = 24;
const MAX_RETRIES = 100;

interface SendCommandOptions {
  api: string;
  model: string;
  token: string;
  batchSize: number;
  predictionColumn: string;
  idColumn: string;
  retries: number;
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
  program
    .command("send")
    .description("send a file of prediction logs (CSV, NDJSON or Parquet) to the DriftWatch API")
    .argument("<file>", "the prediction logs: .csv (header row), .ndjson/.jsonl or .parquet")
    .addOption(
      new Option("--api <url>", "the API's base URL, e.g. http://127.0.0.1:3000")
        .env("DRIFTWATCH_API")
        .makeOptionMandatory(),
    )
    .requiredOption("--model <id>", "the model the predictions belong to")
    .addOption(
      new Option("--token <token>", "a bearer token: the model's token or the admin token")
        .env("DRIFTWATCH_TOKEN")
        .makeOptionMandatory(),
    )
    .option(
      "--batch-size <n>",
      `records per request, 1 to ${MAX_RECORDS_PER_REQUEST}`,
      wholeNumber(1, MAX_RECORDS_PER_REQUEST),
      MAX_RECORDS_PER_REQUEST,
    )
    .option(
      "--prediction-column <name>",
      "the column holding the prediction",
      DEFAULT_RECORD_COLUMNS.prediction,
    )
    .option("--id-column <name>", "the column holding the record id", DEFAULT_RECORD_COLUMNS.id)
    .option(
      "--retries <n>",
      "retries per request on 429, 502, 503, 504 and network errors",
      wholeNumber(0, MAX_RETRIES),
      DEFAULT_RETRY_POLICY.retries,
    )
    .addHelpText("after", HELP)
    .action(async (file: string, options: SendCommandOptions) => {
      process.exitCode = await runSend(file, options);
    });
}

/** Sends one file and returns the exit code (bad input and refusals are thrown, for the caller to report). */
async function runSend(file: string, options: SendCommandOptions): Promise<number> {
  const url = predictionsUrl(options.api, options.model);
  const started = performance.now();
  const source = await openRecordRows(file, { prediction: options.predictionColumn, id: options.idColumn });
  const progress = createProgress();
  const summary = emptySummary();
  const showProgress = (waiting?: string) => progress.step(progressLine(file, source, summary, waiting));
  try {
    await sendRows(source.rows, summary, {
      url,
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

/** `…/v1/models/{modelId}/predictions` under the API's base URL (which may carry a stage path). */
function predictionsUrl(api: string, model: string): URL {
  const modelId = modelIdSchema.safeParse(model);
  if (!modelId.success) {
    throw new UsageError(`--model: ${modelId.error.issues[0]?.message ?? "invalid model id"}`);
  }
  let base: URL;
  try {
    base = new URL(api.endsWith("/") ? api : `${api}/`);
  } catch {
    throw new UsageError(`--api: not a URL: "${api}"`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") {
    throw new UsageError(`--api: not an http or https URL: "${api}"`);
  }
  return new URL(`v1/models/${encodeURIComponent(modelId.data)}/predictions`, base);
}

function progressLine(file: string, source: RecordRows, summary: SendSummary, waiting?: string): string {
  const fraction = Math.min(1, source.fractionRead());
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}%`;
  const counts = `${count(summary.accepted)} accepted, ${count(summary.rejected)} rejected`;
  return `sending ${file} ${bar} ${counts}${waiting ? `; ${waiting}` : ""}`;
}

function printSummary(summary: SendSummary, model: string, started: number): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const batches = summary.batches === 1 ? "1 batch" : `${count(summary.batches)} batches`;
  process.stdout.write(
    `sent ${count(summary.sent)} of ${count(summary.rows)} rows to model ${model} in ${batches}: ` +
      `${count(summary.accepted)} accepted (${count(summary.duplicates)} duplicates, stored before), ` +
      `${count(summary.rejected)} rejected; ${seconds} s\n`,
  );
}

const count = (value: number): string => value.toLocaleString("en-US");

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || number < min || number > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}
