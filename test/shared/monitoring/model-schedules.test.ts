import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SCHEDULE_ENV, scheduleFor, scheduleName } from "#shared/monitoring/model-schedules";

const environment = {
  [SCHEDULE_ENV.group]: "DriftWatchChecks-schedules",
  [SCHEDULE_ENV.target]: "arn:aws:states:us-east-1:123456789012:stateMachine:checks",
  [SCHEDULE_ENV.role]: "arn:aws:iam::123456789012:role/scheduler",
  [SCHEDULE_ENV.deadLetterQueue]: "arn:aws:sqs:us-east-1:123456789012:check-dlq",
};

describe("a model's check schedule", () => {
  const saved = { ...process.env };
  beforeEach(() => Object.assign(process.env, environment));
  afterEach(() => {
    process.env = { ...saved };
  });

  it("runs the config's schedule in UTC, starting the state machine with the model and the scheduled time", () => {
    const input = scheduleFor("churn-v2", { schedule: "cron(0 * * * ? *)" });
    expect(input).toMatchObject({
      Name: "driftwatch-churn-v2",
      GroupName: "DriftWatchChecks-schedules",
      ScheduleExpression: "cron(0 * * * ? *)",
      ScheduleExpressionTimezone: "UTC",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: environment[SCHEDULE_ENV.target],
        RoleArn: environment[SCHEDULE_ENV.role],
        DeadLetterConfig: { Arn: environment[SCHEDULE_ENV.deadLetterQueue] },
      },
    });
    expect(JSON.parse(input.Target?.Input ?? "")).toEqual({
      modelId: "churn-v2",
      scheduledTime: "<aws.scheduler.scheduled-time>",
    });
    expect(input.Target?.RetryPolicy?.MaximumRetryAttempts).toBeGreaterThan(0);
  });

  it("is named after the model, within Scheduler's 64-character names", () => {
    expect(scheduleName("churn-v2")).toBe("driftwatch-churn-v2");
    const long = scheduleName("m".repeat(64));
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toMatch(/^driftwatch-m{40}-[0-9a-f]{12}$/);
    expect(scheduleName(`${"m".repeat(63)}n`)).not.toBe(long);
  });

  it("refuses to be built without the stack's configuration", () => {
    delete process.env[SCHEDULE_ENV.role];
    expect(() => scheduleFor("churn", { schedule: "rate(1 hour)" })).toThrow(/CHECK_SCHEDULER_ROLE_ARN/);
  });
});
