import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { fetchDynamoDbLocal } from "../../scripts/fetch-dynamodb-local.mjs";
import { startProcess, waitUntilReady } from "./child-process.ts";
import { LOCAL_REGION, localCredentials } from "./local-credentials.ts";

export interface Emulator {
  endpoint: string;
  stop: () => Promise<void>;
}

export class JavaMissingError extends Error {
  constructor() {
    super(
      "DynamoDB Local needs Java 17 or later, and no `java` was found on PATH.\n" +
        "Install it (Debian/Ubuntu: `sudo apt-get install -y openjdk-17-jre-headless`; macOS: `brew install openjdk@17`) and run again.",
    );
    this.name = "JavaMissingError";
  }
}

function requireJava(): void {
  const probe = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) throw new JavaMissingError();
}

// Launched as a single-file Java program (no build step): DynamoDB Local's own launcher cannot
// bind to 127.0.0.1 only.
const LOOPBACK_LAUNCHER = fileURLToPath(new URL("./LoopbackDynamoDbLocal.java", import.meta.url));

/**
 * The official DynamoDB Local jar on 127.0.0.1:`port`, in memory or persisted in `dataDir`, with
 * one database for every region and access key (as `-sharedDb`), since the AWS CLI and the
 * handlers may use different ones.
 */
export async function startDynamoDbLocal(port: number, dataDir?: string): Promise<Emulator> {
  requireJava();
  const jarDir = fetchDynamoDbLocal();
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const running = startProcess(
    "java",
    [
      `-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`,
      "-Xmx1g",
      "-cp",
      [join(jarDir, "DynamoDBLocal.jar"), join(jarDir, "DynamoDBLocal_lib", "*")].join(delimiter),
      LOOPBACK_LAUNCHER,
      String(port),
      ...(dataDir ? [resolve(dataDir)] : []),
    ],
    { cwd: jarDir },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  try {
    await waitUntilReady(
      "DynamoDB Local",
      running,
      () => client.send(new ListTablesCommand({ Limit: 1 })),
      90_000,
    );
  } finally {
    client.destroy();
  }
  return { endpoint, stop: running.stop };
}
