import { CfnResource, type Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IConstruct } from "constructs";
import { createDriftWatch, type DriftWatch } from "../../../infra/driftwatch.ts";

export interface SynthesizedDriftWatch extends DriftWatch {
  readonly dataTemplate: Template;
  readonly apiTemplate: Template;
  readonly checksTemplate: Template;
  readonly alertsTemplate: Template;
}

/**
 * Builds the app as `cdk synth` does but without bundling the functions (esbuild) and without the
 * built-in CloudFormation schema validation (seconds of WASM per synth; `npm run synth` keeps it),
 * which keeps a test file to seconds. Each template is synthesized on first use only.
 */
export function synthDriftWatch(context: Record<string, unknown> = {}): SynthesizedDriftWatch {
  const driftWatch = createDriftWatch({
    context: { "aws:cdk:bundling-stacks": [], ...context },
    builtinCloudFormationValidation: false,
  });
  let dataTemplate: Template | undefined;
  let apiTemplate: Template | undefined;
  let checksTemplate: Template | undefined;
  let alertsTemplate: Template | undefined;
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
