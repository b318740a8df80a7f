import awsCronParser from "aws-cron-parser";
import { schedulePeriodMs } from "#shared/monitoring/check-window";

const CRON = /^cron\((.+)\)$/;

/**
 * When an EventBridge schedule fires next, strictly after `after`, for the local scheduler (on AWS,
 * EventBridge Scheduler does this itself). `rate(N unit)` fires on the multiples of its period, the
 * boundaries scheduled windows are aligned to; `cron(...)` as EventBridge reads it, in UTC.
 *
 * @example
 * nextFireAfter("rate(1 hour)", new Date("2026-12-01T13:20:00Z")); // 2026-12-01T14:00:00.000Z
 */
export function nextFireAfter(schedule: string, after: Date): Date {
  const cron = CRON.exec(schedule);
  if (cron) {
    const next = awsCronParser.next(awsCronParser.parse(cron[1] as string), new Date(after.getTime() + 1));
    if (!next) throw new RangeError(`cron schedule "${schedule}" never fires after ${after.toISOString()}`);
    return next;
  }
  const period = schedulePeriodMs(schedule);
  return new Date((Math.floor(after.getTime() / period) + 1) * period);
}
