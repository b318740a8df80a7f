/** Progress lines for long work, on stderr and only when stderr is a terminal (never in a pipe or a log). */
export interface Progress {
  /** Shows what is happening now, replacing the previous step. */
  step(message: string): void;
  /** Clears the progress line. */
  done(): void;
}

/** A progress reporter writing to `stream` when it is a TTY, silent otherwise. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { step: () => {}, done: () => {} };
  const started = performance.now();
  const clear = () => stream.write("\r\u001b[2K");
  return {
    step(message) {
      clear();
      stream.write(`driftwatch: ${message}… (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    },
    done: clear,
  };
}
