import type { Stack } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import type { IRole } from "aws-cdk-lib/aws-iam";
import type { IConstruct } from "constructs";
import { logicalIdOf, resourcesOfType } from "./synth.ts";

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every statement of the inline policies CDK attached to a role (its DefaultPolicy and the like). */
export function statementsOfRole(stack: Stack, template: Template, role: IRole | undefined): Statement[] {
  if (!role) throw new Error("no role");
  const roleRef = JSON.stringify([{ Ref: logicalIdOf(stack, role) }]);
  return Object.values(resourcesOfType(template, "AWS::IAM::Policy"))
    .filter((policy) => JSON.stringify(policy.Properties.Roles) === roleRef)
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();
export const resourceText = (statement: Statement): string => JSON.stringify(statement.Resource);

/** The DynamoDB item actions CDK's grants and ours may use, by the access levels of handler-specs.ts. */
const READ = ["GetItem", "BatchGetItem", "Query", "ConditionCheckItem"].map((action) => `dynamodb:${action}`);
const WRITE = ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"].map((action) => `dynamodb:${action}`);
export const TABLE_ACTIONS_BY_LEVEL = {
  read: READ,
  write: WRITE,
  readWrite: [...READ, ...WRITE],
  readPut: [...READ, "dynamodb:PutItem"],
  scan: ["dynamodb:Scan"],
} as const;

/**
 * The DynamoDB actions the statements grant on one table's items, found by its construct id in the
 * ARN import (its stream's ARN, imported under a name of its own, does not count).
 */
export function tableActions(statements: readonly Statement[], tableConstructId: string): string[] {
  return statements
    .filter((statement) => {
      const resource = resourceText(statement);
      return resource.includes(tableConstructId) && !resource.includes("StreamArn");
    })
    .flatMap(actionsOf)
    .filter((action) => action.startsWith("dynamodb:"))
    .sort();
}

/** What a role may do in the data bucket: list under prefixes, and object actions per key prefix. */
export interface DataAccess {
  listPrefixes: string[];
  objects: Record<string, string[]>;
}

/**
 * Reads the S3 statements back into {@link DataAccess}, and throws on any S3 statement that is not
 * a ListBucket on the data bucket confined by `s3:prefix`, or object actions on `<bucket>/<prefix>*`.
 */
export function dataAccessOf(statements: readonly Statement[], bucketArnExport: string): DataAccess {
  const bucketArn = JSON.stringify({ "Fn::ImportValue": bucketArnExport });
  const access: DataAccess = { listPrefixes: [], objects: {} };
  for (const statement of statements) {
    const actions = actionsOf(statement);
    if (!actions.some((action) => action.startsWith("s3:"))) continue;
    const shape = JSON.stringify(statement);
    if (statement.Effect !== "Allow") throw new Error(`unexpected S3 statement ${shape}`);
    if (actions.includes("s3:ListBucket")) {
      const prefixes = statement.Condition?.StringLike?.["s3:prefix"];
      const onlyCondition = Object.keys(statement.Condition ?? {}).join() === "StringLike";
      if (actions.length !== 1 || resourceText(statement) !== bucketArn || !onlyCondition || !prefixes) {
        throw new Error(`unexpected S3 listing ${shape}`);
      }
      access.listPrefixes.push(...[prefixes as string | string[]].flat());
      continue;
    }
    for (const resource of [statement.Resource].flat()) {
      const prefix = objectPrefixOf(resource, bucketArn);
      if (
        !prefix ||
        !actions.every((action) => /^s3:((Get|Put|Delete)Object|AbortMultipartUpload)$/.test(action))
      ) {
        throw new Error(`unexpected S3 object statement ${shape}`);
      }
      access.objects[prefix] = [...(access.objects[prefix] ?? []), ...actions].sort();
    }
  }
  access.listPrefixes.sort();
  return access;
}

/** `logs/` of `{"Fn::Join": ["", [<bucket ARN import>, "/logs/*"]]}`; undefined for anything else. */
function objectPrefixOf(resource: unknown, bucketArn: string): string | undefined {
  const [delimiter, parts] = (resource as { "Fn::Join"?: [string, unknown[]] })["Fn::Join"] ?? [];
  if (delimiter !== "" || parts?.length !== 2) return undefined;
  const [bucket, suffix] = parts;
  if (JSON.stringify(bucket) !== bucketArn || typeof suffix !== "string") return undefined;
  return /^\/([a-z-]+\/)\*$/.exec(suffix)?.[1];
}

/** `{"Fn::GetAtt": [<logical id>, "Arn"]}` of a construct's resource. */
export const arnOf = (stack: Stack, construct: IConstruct) => ({
  "Fn::GetAtt": [logicalIdOf(stack, construct), "Arn"],
});
