/**
 * `npm start`: DriftWatch on this machine. Prints the API URL, the admin token and the emulator
 * endpoints (for the AWS CLI); Ctrl-C stops everything it started.
 */
import "./local-process-environment.ts";
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { type Demo, startDemo } from "#shared/local/demo/replay";
import { describeCheck, describeDeadLetter } from "#shared/local/describe-check";
import { JavaMissingError } from "#shared/local/dynamodb-local";
import { startLocalRuntime } from "#shared/local/runtime";

const { values } = parseArgs({
  options: {
    fresh: { type: "boolean", default: false },
    demo: { type: "boolean", default: false },
    "data-dir": { type: "string", default: ".driftwatch" },
  },
});

const port = Number(process.env.PORT ?? 3000);

try {
  const runtime = await startLocalRuntime({
    apiPort: port,
    awsPort: Number(process.env.DRIFTWATCH_AWS_PORT ?? 4566),
    dynamoDbPort: Number(process.env.DRIFTWATCH_DYNAMODB_PORT ?? 8000),
    dataDir: values["data-dir"],
    fresh: values.fresh,
    adminToken: process.env.DRIFTWATCH_ADMIN_TOKEN,
    onProgress: (message) => process.stderr.write(`${message}\n`),
    onCheck: (check) => process.stderr.write(`${describeCheck(check)}\n`),
    // The demo shows each mail whole; otherwise a line says where it is.
    onMail: async (mail) => {
      process.stderr.write(
        `  mail to ${mail.to.join(", ") || "(nobody configured)"}: ${mail.subject} (${mail.file})\n`,
      );
      if (values.demo) process.stderr.write(`${indented(await readFile(mail.file, "utf8"))}\n`);
    },
    onAlertDeadLetter: (queue, message) =>
      process.stderr.write(
        `  alert delivery FAILED after its retries (${queue}; now in the alert dead-letter queue): ${describeDeadLetter(message.Body)}\n`,
      ),
  });
  let stopping = false;
  let demo: Demo | undefined;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write("Stopping...\n");
    await demo?.stop();
    await runtime.stop();
    process.exit(0);
  };
  // Before the endpoints are printed: whoever reads them may press Ctrl-C at once.
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
  process.stdout.write(
    [
      `DriftWatch API: ${runtime.apiUrl}`,
      `Admin token: ${runtime.adminToken}`,
      `AWS endpoint (S3/SNS/SQS): ${runtime.awsEndpoint}`,
      `AWS endpoint (DynamoDB): ${runtime.dynamoDbEndpoint}`,
      `Dashboard: ${runtime.dashboardUrl}`,
      "",
    ].join("\n"),
  );
  process.stderr.write(
    [
      `Data persists in ${values["data-dir"]}/ (start with --fresh to wipe it). Ctrl-C stops.`,
      `Alert mail is written to ${runtime.mailDir}/ (SNS email, emulated).`,
      process.env.SLACK_WEBHOOK_URL
        ? "Slack alerts are posted to SLACK_WEBHOOK_URL."
        : "Slack alerts are printed here (set SLACK_WEBHOOK_URL to post them).",
      "",
    ].join("\n"),
  );
  if (values.demo) {
    demo = await startDemo({ url: runtime.apiUrl, adminToken: runtime.adminToken }, (line) =>
      process.stderr.write(`${line}\n`),
    );
  }
} catch (error) {
  process.stderr.write(`${error instanceof JavaMissingError ? error.message : (error as Error).stack}\n`);
  process.exit(1);
}

function indented(text: string): string {
  return text
    .split("\n")
    .map((line) => `    | ${line}`)
    .join("\n");
}
