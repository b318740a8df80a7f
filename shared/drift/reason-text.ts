import type { FeatureEvidence } from "./feature-evidence.ts";

/** Appends the evidence's notes (constant, empty, type mismatch) so a reason stands on its own. */
export function withNotes(reason: string, evidence: FeatureEvidence): string {
  return evidence.notes.length === 0 ? reason : `${reason}; ${evidence.notes.join("; ")}`;
}

/**
 * A number for a sentence: three significant digits, in exponent form below 0.001 so tiny p-values
 * stay readable.
 *
 * @example
 * format(0.123456); // "0.123"
 * format(0.0000123); // "1.2e-5"
 */
export function format(value: number): string {
  if (value === 0) return "0";
  return Math.abs(value) < 1e-3 ? value.toExponential(1) : Number(value.toPrecision(3)).toString();
}

/**
 * "= p" for a sentence, or "< 1e-300" for a p-value that underflowed to 0, which is not a probability
 * of zero but one too small for a double.
 *
 * @example
 * formatP(0.0123); // "= 0.0123"
 * formatP(0); // "< 1e-300"
 */
export function formatP(pValue: number): string {
  return pValue === 0 ? "< 1e-300" : `= ${format(pValue)}`;
}
