import type { CheckWindow } from "#shared/schemas/check-window";
import type { ModelConfig } from "#shared/schemas/model-config";

const MINUTE = 60_000;
const UNIT_MS = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE } as const;
const RATE = /^rate\((\d+) (minute|hour|day)s?\)$/;
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Milliseconds of an ISO-8601 duration made of weeks, days, hours, minutes and seconds. Months and
 * years have no fixed length, so a window cannot be given in them.
 *
 * @throws RangeError for a duration with months or years, or one of zero length
 * @example
 * durationMs("PT1H"); // 3600000
 */
export function durationMs(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match)
    throw new RangeError(`"${duration}" is not a duration in weeks, days, hours, minutes or seconds`);
  const [, weeks, days, hours, minutes, seconds] = match.map((part) => Number(part ?? 0));
  const ms =
    ((((weeks as number) * 7 + (days as number)) * 24 + (hours as number)) * 60 + (minutes as number)) *
      MINUTE +
    (seconds as number) * 1000;
  if (!(ms > 0)) throw new RangeError(`"${duration}" is empty`);
  return ms;
}

/**
 * The period a schedule fires on, which scheduled windows are aligned to: N units for `rate(N unit)`,
 * one minute for a cron expression (EventBridge's finest grain).
 */
export function schedulePeriodMs(schedule: string): number {
  const match = RATE.exec(schedule);
  if (!match) return MINUTE;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/**
 * The window a scheduled check covers: it ends at the last multiple of the schedule's period at or
 * before the scheduled time (so an hourly check fired at 13:00:07 covers 12:00-13:00 whatever the
 * delivery delay) and is as long as the model's `window`.
 *
 * @example
 * scheduledWindow({ schedule: "rate(1 hour)", window: "PT1H" }, new Date("2026-12-01T13:00:07Z"));
 * // { from: "2026-12-01T12:00:00.000Z", to: "2026-12-01T13:00:00.000Z" }
 */
export function scheduledWindow(config: Pick<ModelConfig, "schedule" | "window">, at: Date): CheckWindow {
  const period = schedulePeriodMs(config.schedule);
  const end = Math.floor(at.getTime() / period) * period;
  return windowEndingAt(end, durationMs(config.window));
}

/** The window of an on-demand check: the model's `window` up to now. */
export function trailingWindow(config: Pick<ModelConfig, "window">, now: Date): CheckWindow {
  return windowEndingAt(now.getTime(), durationMs(config.window));
}

function windowEndingAt(end: number, length: number): CheckWindow {
  return { from: new Date(end - length).toISOString(), to: new Date(end).toISOString() };
}
