import { Duration } from "aws-cdk-lib";
import {
  dataBucket,
  modelsTable,
  predictionsTable,
  type TableDefinition,
  tokensTable,
} from "#shared/aws/resources";
import { authorizerHandler } from "#shared/http/routes";

export type TableAccessLevel = "read" | "write" | "readWrite";

export interface TableAccess {
  readonly table: TableDefinition;
  readonly access: TableAccessLevel;
}

export type ObjectAction = "s3:GetObject" | "s3:PutObject" | "s3:DeleteObject";

/** Object-level access to the data bucket, confined to one key prefix. */
export interface DataObjectAccess {
  readonly prefix: string;
  readonly actions: readonly ObjectAction[];
}

/** What one handler may touch, and how it is sized when the defaults do not fit. */
export interface HandlerSpec {
  readonly tables?: readonly TableAccess[];
  readonly dataObjects?: readonly DataObjectAccess[];
  readonly readsAdminTokenSecret?: boolean;
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

/**
 * Every Lambda's permissions, in one place and keyed by its handler file: least privilege is
 * reviewed here, and a handler without an entry fails the synth rather than running with guesses.
 */
export const handlerSpecs: Readonly<Record<string, HandlerSpec>> = {
  [authorizerHandler]: {
    tables: [{ table: tokensTable, access: "read" }],
    readsAdminTokenSecret: true,
  },
  "get-health": {},
  "put-model-config": {
    tables: [{ table: modelsTable, access: "readWrite" }],
  },
  "get-model-config": {
    tables: [{ table: modelsTable, access: "read" }],
  },
  "create-model-token": {
    tables: [
      { table: tokensTable, access: "write" },
      { table: modelsTable, access: "read" },
    ],
  },
  "revoke-model-token": {
    tables: [{ table: tokensTable, access: "readWrite" }],
  },
  "ingest-predictions": {
    tables: [
      { table: predictionsTable, access: "readWrite" },
      { table: modelsTable, access: "read" },
    ],
    // Delete undoes the log object when the index write fails (a request is stored whole or not at
    // all); Get lets a retried request check (HeadObject) that the earlier object still exists.
    dataObjects: [
      { prefix: dataBucket.logsPrefix, actions: ["s3:PutObject", "s3:DeleteObject", "s3:GetObject"] },
    ],
    // Up to 1000 records per request: gzip, one S3 put and 40 batch writes, within API Gateway's 29 s.
    memorySize: 1024,
    timeout: Duration.seconds(20),
  },
  "ingest-ground-truth": {
    tables: [
      { table: predictionsTable, access: "readWrite" },
      { table: modelsTable, access: "read" },
    ],
    timeout: Duration.seconds(20),
  },
};

export function handlerSpecFor(handler: string): HandlerSpec {
  const spec = handlerSpecs[handler];
  if (!spec) {
    throw new Error(
      `No permissions defined for handler "${handler}": add an entry to handlerSpecs in infra/handler-specs.ts.`,
    );
  }
  return spec;
}
