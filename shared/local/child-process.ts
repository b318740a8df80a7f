import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";

export interface RunningProcess {
  child: ChildProcess;
  /** The last lines the process printed, to explain a failure to start. */
  output: () => string;
  stop: () => Promise<void>;
}

const KEEP_LINES = 40;

/** Starts a child process, keeping its recent output, with a stop that escalates to SIGKILL. */
export function startProcess(command: string, args: string[], options: SpawnOptions): RunningProcess {
  const child = spawn(command, args, { ...options, stdio: options.stdio ?? ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - KEEP_LINES));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const killed = await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]);
    if (!killed) {
      child.kill("SIGKILL");
      await exited;
    }
  };
  return { child, output: () => lines.join("\n"), stop };
}

/** Polls `probe` until it resolves, failing early if the process dies, or after `timeoutMs`. */
export async function waitUntilReady(
  name: string,
  running: RunningProcess,
  probe: () => Promise<unknown>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (running.child.exitCode !== null) {
      throw new Error(
        `${name} exited with code ${running.child.exitCode} while starting:\n${running.output()}`,
      );
    }
    try {
      await probe();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        await running.stop();
        throw new Error(
          `${name} did not become ready in ${timeoutMs} ms (${(error as Error).message}):\n${running.output()}`,
        );
      }
      await sleep(100);
    }
  }
}
