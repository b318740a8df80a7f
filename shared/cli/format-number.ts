/** Numbers as the table and the HTML report print them: short, but never hiding a tiny p-value. */

/** A statistic or threshold: 4 significant digits, scientific notation when very large or small. */
export function formatStatistic(value: number | undefined): string {
  if (value === undefined) return "—";
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** A p-value: 4 decimals, or scientific notation below 0.0001 (so 3e-12 is not printed as 0). */
export function formatPValue(value: number | undefined): string {
  if (value === undefined) return "—";
  if (value === 0) return "0";
  return value < 1e-4 ? value.toExponential(1) : value.toFixed(4);
}

/** A share in [0, 1] as a percentage with one decimal. */
export function formatShare(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
