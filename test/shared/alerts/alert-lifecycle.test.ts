import { describe, expect, it } from "vitest";
import {
  type AlertChange,
  advanceAlert,
  type EvaluationContext,
  retireAlert,
} from "#shared/alerts/alert-lifecycle";
import { rulesOf } from "#shared/alerts/alert-rules";
import type { Alert, EvaluatedRule } from "#shared/schemas/alert";
import { modelConfigSchema } from "#shared/schemas/model-config";
import { sampleRule as rule } from "../../support/notifications.ts";

const HOUR = 3_600_000;
const START = Date.parse("2026-12-01T00:00:00.000Z");

/** The context of the hourly check whose window ends `hours` after START. */
function checkAt(hours: number, overrides: Partial<EvaluationContext> = {}): EvaluationContext {
  const to = new Date(START + hours * HOUR).toISOString();
  return {
    modelId: "churn",
    checkId: `${to}#scheduled`,
    window: { from: new Date(START + (hours - 1) * HOUR).toISOString(), to },
    checkedAt: to,
    now: new Date(to),
    cooldownSeconds: 3600 * 3,
    inhibited: false,
    action: "rollback",
    metrics: {} as EvaluationContext["metrics"],
    topFeatures: [],
    links: {},
    ...overrides,
  };
}

/** Runs a series of hourly values through one alert; the changes, undefined where nothing was written. */
function run(
  values: (number | null)[],
  contexts: (hour: number) => EvaluationContext = (hour) => checkAt(hour),
) {
  let alert: Alert | undefined;
  return values.map((value, index) => {
    const change = advanceAlert(alert, { rule, value }, contexts(index + 1));
    if (change) alert = { ...change.alert, version: change.alert.version + 1 };
    return change;
  });
}

const kinds = (changes: (AlertChange | undefined)[]) =>
  changes.map((change) => change?.notifications.map((notification) => notification.kind).join(",") ?? "-");

describe("the alert lifecycle", () => {
  it("fires after `for` consecutive breaching checks, once, and not again inside the cooldown", () => {
    const changes = run([0.5, 0.5, 0.5, 0.5]);
    expect(kinds(changes)).toEqual(["", "firing", "", ""]);
    expect(changes[1]?.alert).toMatchObject({ state: "firing", episode: 1, breaches: 2 });
  });

  it("never writes for a rule that has not breached", () => {
    expect(run([0.1, 0.05])).toEqual([undefined, undefined]);
  });

  it("restarts the streak when a breach is interrupted", () => {
    expect(kinds(run([0.5, 0.1, 0.5, 0.5]))).toEqual(["", "", "", "firing"]);
  });

  it("reminds once the cooldown has passed since the last notification", () => {
    // Fired at hour 2; the cooldown is 3 hours: a reminder at hour 5, the next at hour 8.
    expect(kinds(run([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]))).toEqual([
      "",
      "firing",
      "",
      "",
      "reminder",
      "",
      "",
      "reminder",
    ]);
  });

  it("does not flap while the value hovers between the resolve threshold and the threshold", () => {
    const noReminders = (hour: number) => checkAt(hour, { cooldownSeconds: 86_400 });
    expect(kinds(run([0.5, 0.5, 0.19, 0.21, 0.19, 0.1], noReminders))).toEqual([
      "",
      "firing",
      "",
      "",
      "",
      "resolved",
    ]);
  });

  it("fires a new episode after resolving", () => {
    const changes = run([0.5, 0.5, 0.1, 0.5, 0.5]);
    expect(kinds(changes)).toEqual(["", "firing", "resolved", "", "firing"]);
    expect(changes[4]?.alert.episode).toBe(2);
    expect(changes[4]?.notifications[0]?.notificationId).not.toBe(
      changes[1]?.notifications[0]?.notificationId,
    );
  });

  it("keeps an acknowledged alert silent until it resolves, then tells that it did", () => {
    let alert = advanceAlert(undefined, { rule: { ...rule, for: 1 }, value: 0.5 }, checkAt(1))
      ?.alert as Alert;
    alert = { ...alert, state: "acknowledged", version: 1 };
    const later = advanceAlert(alert, { rule, value: 0.5 }, checkAt(10));
    expect(later?.notifications).toEqual([]);
    const cleared = advanceAlert({ ...(later?.alert as Alert), version: 2 }, { rule, value: 0 }, checkAt(11));
    expect(cleared?.alert.state).toBe("resolved");
    expect(kinds([cleared])).toEqual(["resolved"]);
  });

  it("changes nothing for a value the check could not compute, an inhibited rule, or a check applied already", () => {
    const fired = run([0.5, 0.5]).at(-1)?.alert as Alert;
    expect(advanceAlert(fired, { rule, value: null }, checkAt(9))).toBeUndefined();
    expect(advanceAlert(fired, { rule, value: 0 }, checkAt(9, { inhibited: true }))).toBeUndefined();
    expect(advanceAlert(fired, { rule, value: 0 }, checkAt(2))).toBeUndefined();
  });

  it("does not count a second check of the same window as another breach", () => {
    const first = advanceAlert(undefined, { rule, value: 0.5 }, checkAt(1));
    const again = advanceAlert(
      { ...(first?.alert as Alert), version: 1 },
      { rule, value: 0.5 },
      checkAt(1, { checkId: "manual-re-run" }),
    );
    expect(again?.alert).toMatchObject({ state: "pending", breaches: 1 });
  });

  it("resolves an open alert whose rule was removed, and leaves a resolved one alone", () => {
    const fired = run([0.5, 0.5]).at(-1)?.alert as Alert;
    expect(kinds([retireAlert(fired, checkAt(3))])).toEqual(["resolved"]);
    expect(retireAlert({ ...fired, state: "resolved" }, checkAt(3))).toBeUndefined();
  });

  it("handles `<` rules, with the resolve threshold above", () => {
    const [accuracy] = rulesOf(
      modelConfigSchema.parse({
        task: "classification",
        alerts: {
          rules: [{ metric: "performance.estimatedAccuracy", op: "<", threshold: 0.8, severity: "warning" }],
        },
      }),
    );
    expect(accuracy).toMatchObject({
      name: "performance.estimatedAccuracy < 0.8",
      resolveThreshold: 0.88,
      for: 1,
    });
    const fired = advanceAlert(undefined, { rule: accuracy as EvaluatedRule, value: 0.7 }, checkAt(1));
    expect(fired?.alert.state).toBe("firing");
    const still = advanceAlert(
      { ...(fired?.alert as Alert), version: 1 },
      { rule: accuracy as EvaluatedRule, value: 0.85 },
      checkAt(2),
    );
    expect(still?.alert.state).toBe("firing");
  });
});

describe("the default rules", () => {
  it("follow the model's own SLOs and performance threshold", () => {
    const rules = rulesOf(
      modelConfigSchema.parse({
        task: "regression",
        latency: { p95Ms: 250 },
        performance: { maxRelativeDrop: 0.1 },
      }),
    );
    expect(rules.map((r) => [r.name, r.metric, r.threshold, r.severity])).toEqual([
      ["drift-share", "drift.share", 0.2, "warning"],
      ["prediction-psi", "prediction.psi", 0.1, "warning"],
      ["prediction-psi-major", "prediction.psi", 0.25, "critical"],
      ["performance-drop", "performance.drop", 0.1, "warning"],
      ["latency-p95", "latency.p95", 250, "warning"],
      ["latency-p99", "latency.p99", 500, "critical"],
      ["error-rate", "errorRate", 0.05, "critical"],
      ["no-data", "noData", 0.5, "warning"],
    ]);
  });
});
