/**
 * How the dashboard writes numbers and times: English, three significant digits, times in UTC as the
 * API and the check lines of `npm start` give them. No DOM here, so tests can share it.
 */
const significant = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 });
const whole = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

/** A value that may be the API's "not applicable" object instead of a number. */
export type MaybeNumber = number | { notApplicable: string } | null | undefined;

/** The number, or undefined where the API gave none. */
export function numberOf(value: MaybeNumber): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** `0.123456` → `"0.123"`, `1234.5` → `"1,230"`; a missing value → `"—"`. */
export function formatNumber(value: MaybeNumber): string {
  const number = numberOf(value);
  return number === undefined ? "—" : significant.format(number);
}

/** `600` → `"600"`, `12000` → `"12,000"`. */
export function formatCount(value: number): string {
  return whole.format(value);
}

/** A share in [0, 1] as a percentage: `0.5` → `"50%"`, `0.3333` → `"33.3%"`. */
export function formatPercent(value: MaybeNumber): string {
  const number = numberOf(value);
  return number === undefined ? "—" : percent.format(number);
}

/** Milliseconds: `14.734` → `"14.7 ms"`. */
export function formatMilliseconds(value: MaybeNumber): string {
  const number = numberOf(value);
  return number === undefined ? "—" : `${significant.format(number)} ms`;
}

/** An ISO-8601 instant in UTC to the second: `"2026-12-01 13:00:07 UTC"`. */
export function formatTime(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}

/** A check window: `"2026-12-01 12:00:00 – 13:00:00 UTC"` (the date once when both ends share it). */
export function formatWindow(window: { from: string; to: string }): string {
  const from = formatTime(window.from);
  const to = formatTime(window.to);
  return from.slice(0, 10) === to.slice(0, 10) ? `${from.slice(0, 19)} – ${to.slice(11)}` : `${from} – ${to}`;
}

/** `1` → `"1 feature"`, `2` → `"2 features"`. */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? "" : "s"}`;
}

/** Text ending with a full stop, whether or not it came with one. */
export function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
