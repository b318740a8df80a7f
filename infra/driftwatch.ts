import { fileURLToPath } from "node:url";
import { App, type AppProps, type Environment, Tags } from "aws-cdk-lib";
import {
  alertEmailFromContext,
  operationsEmailFromContext,
  rollbackTargetsFromContext,
} from "./alert-context.ts";
import { AlertStack } from "./alert-stack.ts";
import { ApiStack } from "./api-stack.ts";
import { CheckStack } from "./check-stack.ts";
import { DataStack } from "./data-stack.ts";
import { featureFlags } from "./feature-flags.ts";
import { OperationsStack } from "./operations-stack.ts";
import { retentionDaysFromContext } from "./retention.ts";

/** Where `npm run build` writes the dashboard. */
export const DASHBOARD_BUILD_PATH = fileURLToPath(new URL("../dashboard/dist", import.meta.url));

export interface DriftWatch {
  readonly app: App;
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly checks: CheckStack;
  readonly alerts: AlertStack;
  readonly operations: OperationsStack;
}

export interface DriftWatchProps extends AppProps {
  /** The built dashboard to deploy. @default dashboard/dist, which `npm run build` writes */
  readonly dashboardAssetsPath?: string;
}

/**
 * The whole deployable app, shared by infra/app.ts and the tests. Without an account and region
 * in the environment the stacks are environment-agnostic: synth needs no credentials or lookups.
 */
export function createDriftWatch(props: DriftWatchProps = {}): DriftWatch {
  const { dashboardAssetsPath = DASHBOARD_BUILD_PATH, ...appProps } = props;
  const app = new App({ ...appProps, context: { ...featureFlags, ...props.context } });
  const env: Environment = {
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region: process.env.CDK_DEFAULT_REGION,
  };
  const retentionDays = retentionDaysFromContext(app.node);

  const data = new DataStack(app, "DriftWatchData", {
    env,
    retentionDays,
    operationsEmail: operationsEmailFromContext(app.node),
    description:
      "DriftWatch stateful resources: tables, data bucket, log buckets, alerts and operations topics, alert DLQ, admin token, Slack webhook secret",
  });
  const api = new ApiStack(app, "DriftWatchApi", {
    env,
    data,
    retentionDays,
    dashboardAssetsPath,
    description: "DriftWatch HTTP API, authorizer and handler functions, and the dashboard site calling it",
  });
  // The checks link to the API in their alert messages: the check stack depends on the API stack,
  // which depends on nothing but the data stack.
  const checks = new CheckStack(app, "DriftWatchChecks", {
    env,
    data,
    retentionDays,
    apiUrl: api.api.apiEndpoint,
    description: "DriftWatch scheduled checks: per-model schedules, check state machine and its functions",
  });
  const alerts = new AlertStack(app, "DriftWatchAlerts", {
    env,
    data,
    retentionDays,
    rollbackTargets: rollbackTargetsFromContext(app.node),
    alertEmail: alertEmailFromContext(app.node),
    description:
      "DriftWatch alert fan-out: Slack, rollback and retraining queues and functions, email subscriptions",
  });
  // Last: it shows the other stacks' functions, queues and API.
  const operations = new OperationsStack(app, "DriftWatchOperations", {
    env,
    data,
    api,
    checks,
    alerts,
    retentionDays,
    description:
      "DriftWatch operations: CloudWatch dashboard, Glue table and Athena workgroup over the raw logs",
  });
  Tags.of(app).add("project", "driftwatch");
  return { app, data, api, checks, alerts, operations };
}
