/** The pieces of progress and summary lines: a bar, counts, byte sizes, durations. */

const BAR_WIDTH = 24;
const BYTE_UNITS = ["kB", "MB", "GB", "TB"];

/**
 * A bar for a share done, from 0 to 1 (clamped).
 *
 * @example
 * progressBar(0.25); // "[######------------------] 25%"
 */
export function progressBar(fraction: number): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * BAR_WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${Math.floor(clamped * 100)}%`;
}

/** A count with thousands separators: `12,345`. */
export const formatCount = (value: number): string => value.toLocaleString("en-US");

/**
 * A size in decimal units (as `ls -lh --si` and S3's console print them), one decimal from kB up.
 *
 * @example
 * formatBytes(1_234_567); // "1.2 MB"
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** Seconds since `started` (a `performance.now()`), to one decimal: `3.4 s`. */
export const formatElapsed = (started: number): string =>
  `${((performance.now() - started) / 1000).toFixed(1)} s`;
