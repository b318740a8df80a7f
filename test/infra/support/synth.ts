import { fileURLToPath } from "node:url";
import { CfnResource, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { createDriftWatch, type DriftWatch } from "../../../infra/driftwatch.ts";

/** A stand-in for the built dashboard (dashboard/dist), which the infra tests do not build. */
export const DASHBOARD_FIXTURE_PATH = fileURLToPath(new URL("../fixtures/dashboard-dist", import.meta.url));

export interface SynthesizedDriftWatch extends DriftWatch {
  readonly dataTemplate: Template;
  readonly apiTemplate: Template;
  readonly checksTemplate: Template;
  readonly alertsTemplate: Template;
  readonly operationsTemplate: Template;
}

/**
 * Builds the app as `cdk synth` does but without bundling the functions (esbuild) and without the
 * built-in CloudFormation schema validation (seconds of WASM per synth; `npm run synth` keeps it),
 * which keeps a test file to seconds. Each template is synthesized on first use only.
 */
export function synthDriftWatch(
  context: Record<string, unknown> = {},
  dashboardAssetsPath = DASHBOARD_FIXTURE_PATH,
): SynthesizedDriftWatch {
  const driftWatch = createDriftWatch({
    context: { "aws:cdk:bundling-stacks": [], ...context },
    builtinCloudFormationValidation: false,
    dashboardAssetsPath,
  });
  let dataTemplate: Template | undefined;
  let apiTemplate: Template | undefined;
  let checksTemplate: Template | undefined;
  let alertsTemplate: Template | undefined;
  let operationsTemplate: Template | undefined;
  return {
    ...driftWatch,
    get dataTemplate() {
      dataTemplate ??= Template.fromStack(driftWatch.data);
      return dataTemplate;
    },
    get apiTemplate() {
      apiTemplate ??= Template.fromStack(driftWatch.api);
      return apiTemplate;
    },
    get checksTemplate() {
      checksTemplate ??= Template.fromStack(driftWatch.checks);
      return checksTemplate;
    },
    get alertsTemplate() {
      alertsTemplate ??= Template.fromStack(driftWatch.alerts);
      return alertsTemplate;
    },
    get operationsTemplate() {
      operationsTemplate ??= Template.fromStack(driftWatch.operations);
      return operationsTemplate;
    },
  };
}

/** The logical id of a construct's CloudFormation resource (an L2's default child, or the L1 itself). */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!resource || !CfnResource.isCfnResource(resource)) {
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  }
  return stack.getLogicalId(resource);
}

export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export function resourceOf(template: Template, logicalId: string): TemplateResource {
  const resource = (template.toJSON().Resources as Record<string, TemplateResource>)[logicalId];
  if (!resource) throw new Error(`No resource ${logicalId} in the template`);
  return resource;
}

export function resourcesOfType(template: Template, type: string): Record<string, TemplateResource> {
  return template.findResources(type) as Record<string, TemplateResource>;
}

/** The one resource of `type` that `matches`; throws when there is none, or more than one. */
export function theResource(
  template: Template,
  type: string,
  matches: (resource: TemplateResource) => boolean = () => true,
): TemplateResource {
  const found = Object.values(resourcesOfType(template, type)).filter(matches);
  const [resource] = found;
  if (found.length !== 1 || !resource) throw new Error(`Expected one ${type}, found ${found.length}`);
  return resource;
}

/** The statements of a policy resource (bucket, topic or queue policy). */
export const policyStatementsOf = (policy: TemplateResource): Record<string, unknown>[] =>
  (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
