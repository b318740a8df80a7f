import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { startProcess } from "./child-process.ts";
import type { Emulator } from "./dynamodb-local.ts";

const SERVER_ENTRY = fileURLToPath(new URL("./fauxqs-server.ts", import.meta.url));
const START_TIMEOUT_MS = 30_000;

/** fauxqs (S3, SNS, SQS on one endpoint) as a child process on 127.0.0.1; S3 persisted to `s3Dir` if given. */
export async function startFauxqs(port: number, s3Dir?: string): Promise<Emulator> {
  const running = startProcess(process.execPath, ["--import", "tsx", SERVER_ENTRY], {
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, FAUXQS_PORT: String(port), ...(s3Dir ? { DRIFTWATCH_S3_DIR: s3Dir } : {}) },
  });
  const ready = once(running.child, "message") as Promise<[{ port: number }]>;
  const exited = once(running.child, "exit").then(([code]) => {
    throw new Error(`The S3/SNS/SQS emulator exited with code ${code} while starting:\n${running.output()}`);
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(
      () => reject(new Error(`The S3/SNS/SQS emulator did not start in ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    ).unref(),
  );
  try {
    const [{ port: actualPort }] = await Promise.race([ready, exited, timeout]);
    return { endpoint: `http://127.0.0.1:${actualPort}`, stop: running.stop };
  } catch (error) {
    await running.stop();
    throw error;
  }
}
