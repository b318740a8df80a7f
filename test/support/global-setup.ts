import type { TestProject } from "vitest/node";
import { startLocalAws } from "#shared/local/local-aws";

declare module "vitest" {
  export interface ProvidedContext {
    awsEnvironment: Record<string, string>;
  }
}

/**
 * Starts DynamoDB Local and fauxqs once for the whole run on free 127.0.0.1 ports, with the
 * resources of the shared definitions, and stops both when the run ends, failed or not.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const aws = await startLocalAws();
  project.provide("awsEnvironment", {
    ...aws.environment,
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: "ERROR",
    DRIFTWATCH_ADMIN_TOKEN: "test-admin-token",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  return aws.stop;
}
