/**
 * A problem with an input file that the user can fix (missing, empty, malformed). The CLI prints it
 * as the single line `driftwatch: <file>: <problem>` and exits with code 2, so `problem` is one
 * sentence fragment without the file name and without line breaks.
 */
export class InputFileError extends Error {
  readonly file: string;
  readonly problem: string;

  constructor(file: string, problem: string) {
    const oneLine = problem.replace(/\s*[\r\n]+\s*/g, " ").trim();
    super(`${file}: ${oneLine}`);
    this.name = "InputFileError";
    this.file = file;
    this.problem = oneLine;
  }
}

/** What went wrong opening or reading a file, in the words of {@link InputFileError}'s `problem`. */
export function describeFileError(error: NodeJS.ErrnoException): string {
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
