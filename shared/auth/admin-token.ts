import { getSecret } from "@aws-lambda-powertools/parameters/secrets";
import { secretsManagerClient } from "#shared/aws/clients";
import { adminTokenSecret } from "#shared/aws/resources";
import { MissingConfigurationError } from "#shared/config/environment";

// Cached so a warm authorizer costs no Secrets Manager call; a rotated token is picked up within this.
const CACHE_SECONDS = 300;

/** The admin token: from Secrets Manager on AWS, from DRIFTWATCH_ADMIN_TOKEN locally. */
export async function adminToken(): Promise<string> {
  const secretArn = process.env[adminTokenSecret.envVar];
  if (secretArn) {
    const value = await getSecret(secretArn, {
      maxAge: CACHE_SECONDS,
      awsSdkV3Client: secretsManagerClient(),
    });
    if (typeof value === "string" && value) return value;
    throw new MissingConfigurationError(`${adminTokenSecret.envVar} (the secret is empty)`);
  }
  const local = process.env.DRIFTWATCH_ADMIN_TOKEN;
  if (local) return local;
  throw new MissingConfigurationError(`${adminTokenSecret.envVar} or DRIFTWATCH_ADMIN_TOKEN`);
}
