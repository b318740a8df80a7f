import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "#shared/local/dynamodb-local";
import { startFauxqs } from "#shared/local/fauxqs";
import { freePort } from "#shared/local/free-port";
import { provisionLocalResources } from "#shared/local/provision";

declare module "vitest" {
  export interface ProvidedContext {
    awsEnvironment: Record<string, string>;
  }
}

/**
 * Starts DynamoDB Local and fauxqs once for the whole run on free 127.0.0.1 ports, provisions the
 * resources from the shared definitions, and stops both when the run ends, failed or not.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamoDb, aws] = await Promise.all([
    freePort().then((port) => startDynamoDbLocal(port)),
    freePort().then((port) => startFauxqs(port)),
  ]);
  const stop = async () => {
    await Promise.all([dynamoDb.stop(), aws.stop()]);
  };
  try {
    const resources = await provisionLocalResources({ aws: aws.endpoint, dynamoDb: dynamoDb.endpoint });
    project.provide("awsEnvironment", {
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      POWERTOOLS_METRICS_DISABLED: "true",
      POWERTOOLS_LOG_LEVEL: "ERROR",
      DRIFTWATCH_ADMIN_TOKEN: "test-admin-token",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...resources,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return stop;
}
