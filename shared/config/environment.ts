import {
  type BucketDefinition,
  DEFAULT_RETENTION_DAYS,
  RETENTION_ENV_VAR,
  type TableDefinition,
} from "#shared/aws/resources";

/** A deployment fault, not a user error: the function was started without its configuration. */
export class MissingConfigurationError extends Error {
  constructor(variable: string) {
    super(`Environment variable ${variable} is not set`);
    this.name = "MissingConfigurationError";
  }
}

export function requiredEnv(variable: string): string {
  const value = process.env[variable];
  if (!value) throw new MissingConfigurationError(variable);
  return value;
}

export const tableName = (table: TableDefinition): string => requiredEnv(table.envVar);

export const bucketName = (bucket: BucketDefinition): string => requiredEnv(bucket.envVar);

export function retentionDays(): number {
  const configured = Number(process.env[RETENTION_ENV_VAR] ?? DEFAULT_RETENTION_DAYS);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_RETENTION_DAYS;
}
