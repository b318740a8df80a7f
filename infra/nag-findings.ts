import { Stack } from "aws-cdk-lib";
import type { IConstruct } from "constructs";

/**
 * The id of cdk-nag's AwsSolutions-IAM5 finding for a wildcard resource, spelled as cdk-nag spells
 * it: references as `<LogicalId.Attribute>`, pseudo parameters as `<AWS::Region>`, imports by export
 * name. Built from the same ARN the grant uses, so the acknowledgement matches whether or not the
 * stack has an account and region, and names exactly one resource.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** cdk-nag's flattening of a CloudFormation value (its utils/flatten-cfn-reference, not exported). */
function flatten(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value.replace(/\$\{/g, "<").replace(/\}/g, ">");
  const node = value as Record<string, unknown>;
  if (node["Fn::Join"]) {
    const [delimiter, items] = node["Fn::Join"] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (node["Fn::Sub"]) return flatten(node["Fn::Sub"]);
  if (node["Fn::GetAtt"]) {
    const [resource, attribute] = node["Fn::GetAtt"] as [unknown, unknown];
    return `<${flatten(resource)}.${flatten(attribute)}>`;
  }
  if (node["Fn::ImportValue"]) return flatten(node["Fn::ImportValue"]);
  if (node.Ref) return `<${flatten(node.Ref)}>`;
  return JSON.stringify(value);
}
