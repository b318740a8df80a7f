import { describe, expect, it } from "vitest";
import type { FeatureEvidence } from "#shared/drift/feature-evidence";
import { missingRatePsi, SEVERITY_CUTOFFS, severityOf } from "#shared/drift/severity";

function evidence(psi: number, normed: number, missingCurrent = 0): FeatureEvidence {
  return {
    type: "numeric",
    missing: { reference: { missing: 0, rows: 100 }, current: { missing: missingCurrent, rows: 100 } },
    tests: { psi: { value: psi }, wasserstein: { value: normed, normed } },
    notes: [],
  };
}

describe("severityOf", () => {
  it("is none for a feature that did not drift, however large its distances", () => {
    expect(severityOf(false, evidence(3, 2))).toBe("none");
  });

  it("follows the PSI convention: below 0.1 low, from 0.1 medium, from 0.25 high", () => {
    expect(severityOf(true, evidence(0.099, 0))).toBe("low");
    expect(severityOf(true, evidence(SEVERITY_CUTOFFS.psi.medium, 0))).toBe("medium");
    expect(severityOf(true, evidence(0.2499, 0))).toBe("medium");
    expect(severityOf(true, evidence(SEVERITY_CUTOFFS.psi.high, 0))).toBe("high");
  });

  it("gives the normed Wasserstein distance the cut-offs of the mean shifts with PSI 0.1 and 0.25", () => {
    expect(severityOf(true, evidence(0, 0.32))).toBe("low");
    expect(severityOf(true, evidence(0, 0.33))).toBe("medium");
    expect(severityOf(true, evidence(0, 0.5))).toBe("high");
  });

  it("takes the highest band any measure reaches", () => {
    expect(severityOf(true, evidence(0.3, 0.1))).toBe("high");
    expect(severityOf(true, evidence(0.01, 0.4))).toBe("medium");
  });

  it("rates a missing rate from 0% to 2% medium and to 30% high, as PSI over (missing, present)", () => {
    expect(missingRatePsi(evidence(0, 0, 2))).toBeCloseTo(
      (0.02 - 1e-4) * Math.log(200) + (0.98 - 1) * Math.log(0.98),
      12,
    );
    expect(severityOf(true, evidence(0, 0, 2))).toBe("medium");
    expect(severityOf(true, evidence(0, 0, 30))).toBe("high");
    expect(severityOf(true, evidence(0, 0, 1))).toBe("low");
  });
});
