import type { CheckWindow } from "#shared/schemas/check-window";

/** A check window with the predictions the check counted in it and the labels they have by now. */
export interface CountedWindow {
  window: CheckWindow;
  rows: number | null;
  labelled: number;
}

export interface PeriodCoverage {
  /** Predictions of the counted windows; null when no check covered any of the period. */
  rows: number | null;
  /** The share of the period's time the counted windows cover. */
  checkedShare: number;
  /** Labelled ÷ predicted over the counted windows. */
  coverage: number | null;
}

/**
 * Label coverage of a period, counted over the windows the model's checks covered: each check stored
 * its window's prediction count, so the period's predictions are known without reading its logs
 * again. Windows overlap (a manual check's trailing window, a window longer than the schedule's
 * period), so only non-overlapping ones count: latest-ending first, each taken when it ends by the
 * start of the one taken before, and only windows wholly inside the period. Labels are counted over
 * the same windows, so the ratio is exact for the part of the period that `checkedShare` says.
 *
 * @example
 * // two hourly checks of 100 and 50 predictions, of which 60 and 10 are labelled, in a 2-hour period
 * periodCoverage(period, windows); // { rows: 150, checkedShare: 1, coverage: 0.4666… }
 */
export function periodCoverage(period: CheckWindow, windows: readonly CountedWindow[]): PeriodCoverage {
  const start = Date.parse(period.from);
  const end = Date.parse(period.to);
  const candidates = windows
    .filter((counted): counted is CountedWindow & { rows: number } => counted.rows !== null)
    .map((counted) => ({
      ...counted,
      from: Date.parse(counted.window.from),
      to: Date.parse(counted.window.to),
    }))
    .filter(({ from, to }) => from >= start && to <= end)
    .sort((a, b) => b.to - a.to || a.from - b.from);
  let boundary = end;
  let rows = 0;
  let labelled = 0;
  let covered = 0;
  let counted = 0;
  for (const candidate of candidates) {
    if (candidate.to > boundary) continue;
    rows += candidate.rows;
    labelled += candidate.labelled;
    covered += candidate.to - candidate.from;
    counted++;
    boundary = candidate.from;
  }
  return {
    rows: counted > 0 ? rows : null,
    checkedShare: covered / (end - start),
    coverage: rows > 0 ? labelled / rows : null,
  };
}
