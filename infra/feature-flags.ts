/**
 * CDK feature flags this app relies on, pinned here rather than taken from whatever the installed
 * aws-cdk-lib recommends, so an upgrade cannot silently change the synthesized templates. cdk.json
 * or `-c` still override them.
 */
export const featureFlags = {
  // Server access logs are delivered through a bucket policy: the buckets have ACLs disabled.
  "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": true,
  // The API stack imports the data stack's exports: CloudFormation then refuses to delete the data
  // stack, or drop an export, while the API stack still uses it.
  "@aws-cdk/core:defaultCrossStackReferences": "strong",
  // Fails the synth when a secret's value would be rendered into a template in plain text.
  "@aws-cdk/core:checkSecretUsage": true,
} as const;
