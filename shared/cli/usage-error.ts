/**
 * A mistake in how the CLI was called (an unknown `--categorical` column, an invalid `--model`, an
 * unwritable `--out`) that is not about an input file's contents. Printed as `driftwatch: <message>`
 * with exit code 2, like a bad input file.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
