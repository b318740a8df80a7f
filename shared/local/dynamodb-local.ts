import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
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

/**
 * The official DynamoDB Local jar on 127.0.0.1:`port`, in memory or persisted in `dataDir`.
 * `-sharedDb` makes every region and access key see the same tables, as the AWS CLI and the
 * handlers may use different ones.
 */
export async function startDynamoDbLocal(port: number, dataDir?: string): Promise<Emulator> {
  requireJava();
  const jarDir = fetchDynamoDbLocal();
  const storage = dataDir ? ["-dbPath", resolve(dataDir)] : ["-inMemory"];
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const running = startProcess(
    "java",
    [
      `-Djava.library.path=${join(jarDir, "DynamoDBLocal_lib")}`,
      "-Xmx1g",
      "-jar",
      join(jarDir, "DynamoDBLocal.jar"),
      "-port",
      String(port),
      "-sharedDb",
      "-disableTelemetry",
      ...storage,
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
      60_000,
    );
  } finally {
    client.destroy();
  }
  return { endpoint, stop: running.stop };
}
