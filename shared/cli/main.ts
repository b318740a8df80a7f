import { Command, CommanderError } from "commander";
import { InputFileError } from "#shared/readers/input-file-error";
import packageJson from "../../package.json" with { type: "json" };
import { addBaselineCommand } from "./baseline-command.ts";
import { addCompareCommand } from "./compare-command.ts";
import { addSendCommand } from "./send-command.ts";
import { UsageError } from "./usage-error.ts";

/** Bad input or a bad call: a file that cannot be read or compared, an invalid option. */
const EXIT_BAD_INPUT = 2;
/** A bug: anything else that went wrong. */
const EXIT_INTERNAL = 3;

const program = new Command("driftwatch")
  .description("DriftWatch: drift reports for ML models")
  .version(packageJson.version)
  .exitOverride();
addCompareCommand(program);
addSendCommand(program);
addBaselineCommand(program);

// A reader that stops early (`driftwatch compare … | head`) is not an error.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = report(error);
}

/** Prints an error as one line on stderr and returns the exit code it deserves. */
function report(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; --help and --version end with code 0.
    return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
  }
  if (error instanceof InputFileError || error instanceof UsageError) {
    process.stderr.write(`driftwatch: ${error.message}\n`);
    return EXIT_BAD_INPUT;
  }
  process.stderr.write(`driftwatch: internal error: ${(error as Error).stack ?? String(error)}\n`);
  return EXIT_INTERNAL;
}
