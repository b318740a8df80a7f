import { type Command, InvalidArgumentError, Option } from "commander";
import { DEFAULT_RETRY_POLICY } from "#shared/http/with-retries";
import { DEFAULT_RECORD_COLUMNS, type RecordColumns } from "#shared/readers/record-rows";

const MAX_RETRIES = 100;

/** The options every command that reads a record file and calls the API takes. */
export interface ApiCommandOptions {
  api: string;
  model: string;
  token: string;
  predictionColumn: string;
  idColumn: string;
  retries: number;
}

/** What `--model` and `--token` mean for one command, in its --help. */
export interface ApiOptionTexts {
  model: string;
  token: string;
}

/**
 * Adds `--api`, `--model` and `--token` (`--api` and `--token` may come from DRIFTWATCH_API and
 * DRIFTWATCH_TOKEN, which keeps the token out of the shell history).
 */
export function addApiOptions(command: Command, texts: ApiOptionTexts): Command {
  return command
    .addOption(
      new Option("--api <url>", "the API's base URL, e.g. http://127.0.0.1:3000")
        .env("DRIFTWATCH_API")
        .makeOptionMandatory(),
    )
    .requiredOption("--model <id>", texts.model)
    .addOption(new Option("--token <token>", texts.token).env("DRIFTWATCH_TOKEN").makeOptionMandatory());
}

/** Adds `--prediction-column` and `--id-column`, which rename the columns {@link openRecordRows} maps. */
export function addRecordColumnOptions(command: Command): Command {
  return command
    .option(
      "--prediction-column <name>",
      "the column holding the prediction",
      DEFAULT_RECORD_COLUMNS.prediction,
    )
    .option("--id-column <name>", "the column holding the record id", DEFAULT_RECORD_COLUMNS.id);
}

/** Adds `--retries <n>`, described by `text`. */
export function addRetriesOption(command: Command, text: string): Command {
  return command.option("--retries <n>", text, wholeNumber(0, MAX_RETRIES), DEFAULT_RETRY_POLICY.retries);
}

/** The record columns the options name. */
export const recordColumns = (options: ApiCommandOptions): RecordColumns => ({
  prediction: options.predictionColumn,
  id: options.idColumn,
});

/** A commander argument parser for a whole number in [min, max]. */
export function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\s*\d+\s*$/.test(value) || number < min || number > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    return number;
  };
}
