import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks, ServerlessChecks } from "cdk-nag";
import { createDriftWatch } from "./driftwatch.ts";

const { app } = createDriftWatch();
// Every synth is also a security review: an unacknowledged cdk-nag finding stops it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
app.synth();
