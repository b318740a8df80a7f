import { describe, expect, it } from "vitest";
import { compareDatasets } from "#shared/drift/compare-datasets";
import { Random } from "../../support/random.ts";
import {
  type Change,
  FEATURES,
  type FeatureSpec,
  simulateWindow,
  widenedFeatures,
} from "./support/scenarios.ts";

/**
 * The scenario suite that tunes and defends the default policy (see shared/drift/policy.ts) on 20
 * simulated features, 16 numeric and 4 categorical. Each block measures one of the policy's three
 * promises as a rate and prints it; the repetitions are as few as the rate's precision allows, so the
 * suite stays within seconds on a small machine. Seeds are fixed: the rates are reproducible, and a
 * change to the engine that moves them shows up here.
 */

type Sizes = { reference: number; current: number };

/**
 * Runs the windows of a plan and measures how many were flagged (any feature drifted). Also reports the
 * largest effect size seen, as a multiple of its materiality threshold, over every feature that was
 * significant: how close the effect-size gate came to letting a window through.
 */
function windowsFlagged(
  seed: number,
  plan: ReadonlyArray<{ sizes: Sizes; change: Change; repeats: number }>,
  features: readonly FeatureSpec[] = FEATURES,
) {
  const random = new Random(seed);
  let flagged = 0;
  let windows = 0;
  let largestSignificantEffect = 0;
  const flags = new Map<string, number>();
  for (const { sizes, change, repeats } of plan) {
    for (let i = 0; i < repeats; i++) {
      const { reference, current } = simulateWindow(random, sizes, change, features);
      const report = compareDatasets(reference, current);
      windows++;
      if (report.drifted) flagged++;
      for (const name of report.driftedFeatures) flags.set(name, (flags.get(name) ?? 0) + 1);
      for (const feature of Object.values(report.features)) {
        const { effect, adjustedPValue, threshold } = feature;
        if (effect && adjustedPValue !== undefined && adjustedPValue <= threshold) {
          largestSignificantEffect = Math.max(largestSignificantEffect, effect.value / effect.threshold);
        }
      }
    }
  }
  return {
    rate: flagged / windows,
    flagged,
    windows,
    flaggedFeatures: Object.fromEntries(flags),
    largestSignificantEffect: Number(largestSignificantEffect.toFixed(3)),
  };
}

const equal = (rows: number): Sizes => ({ reference: rows, current: rows });

describe("the default drift policy on simulated windows", () => {
  it("has 20 features: 16 numeric and 4 categorical", () => {
    expect(FEATURES.filter((feature) => feature.kind === "numeric")).toHaveLength(16);
    expect(FEATURES.filter((feature) => feature.kind === "categorical")).toHaveLength(4);
  });

  it("raises a false alarm on at most 5% of windows where nothing changed (60 to 20,000 rows)", () => {
    const sizes: Sizes[] = [
      equal(60),
      equal(150),
      equal(300),
      equal(1000),
      { reference: 5000, current: 300 },
      equal(3000),
    ];
    const result = windowsFlagged(1, [
      ...sizes.map((s) => ({ sizes: s, change: { kind: "none" } as const, repeats: 40 })),
      { sizes: equal(20_000), change: { kind: "none" }, repeats: 4 },
    ]);
    console.info("no change: windows flagged", result);
    expect(result.rate).toBeLessThanOrEqual(0.05);
  });

  it("flags at most 10% of practically negligible changes at 20,000 to 100,000 rows", () => {
    const negligible: Change[] = [
      { kind: "shift", feature: "normal", sd: 0.01 },
      { kind: "shift", feature: "income", sd: 0.01 },
      { kind: "scale", feature: "age", factor: 1.01 },
      { kind: "scale", feature: "t5", factor: 1.01 },
      // Half a point of share: 1.25% of the 40% category's rows move to the 20% one.
      { kind: "move", feature: "channel", from: 0, to: 2, fraction: 0.0125 },
      { kind: "move", feature: "member", from: 0, to: 1, fraction: 0.005 / 0.7 },
    ];
    const result = windowsFlagged(2, [
      ...negligible.map((change) => ({ sizes: equal(20_000), change, repeats: 2 })),
      ...negligible.slice(0, 3).map((change) => ({ sizes: equal(100_000), change, repeats: 1 })),
    ]);
    console.info("negligible changes: windows flagged", result);
    expect(result.rate).toBeLessThanOrEqual(0.1);
    // Not a near miss: where a negligible change was significant, its effect stayed far below the bar.
    expect(result.largestSignificantEffect).toBeLessThan(0.5);
  });

  it("detects at least 95% of material changes, on the feature that changed", () => {
    const shift = (feature: string, sd: number): Change => ({ kind: "shift", feature, sd });
    const scale = (feature: string, factor: number): Change => ({ kind: "scale", feature, factor });
    const move = (feature: string, from: number, to: number): Change => ({
      kind: "move",
      feature,
      from,
      to,
      fraction: 0.25,
    });
    const missing = (feature: string): Change => ({ kind: "missing", feature, rate: 0.3 });
    // [label, sizes, change, repeats]: twenty windows per small scenario, fewer where a window costs more
    // (at 20,000 rows the outcome is never in doubt: the effect is 15 times its noise).
    const material: Array<[string, Sizes, Change, number]> = [
      ["0.15 sd, normal, 20k", equal(20_000), shift("normal", 0.15), 2],
      ["0.15 sd, lognormal, 20k", equal(20_000), shift("claims", 0.15), 2],
      ["0.15 sd, t3, 20k", equal(20_000), shift("t3", 0.15), 2],
      ["0.3 sd, normal, 300", equal(300), shift("age", 0.3), 20],
      ["0.3 sd, normal, 300 vs 5000", { reference: 5000, current: 300 }, shift("amount", 0.3), 20],
      ["0.3 sd, poisson, 1000", equal(1000), shift("visits", 0.3), 20],
      ["0.3 sd, t5, 1000", equal(1000), shift("t5", 0.3), 20],
      ["1.2 sd, normal, 60", equal(60), shift("normal", 1.2), 20],
      ["1.2 sd, integers 0-9, 60", equal(60), shift("rating", 1.2), 20],
      ["1.2 sd, bimodal, 60", equal(60), shift("bimodal", 1.2), 20],
      ["1.2 sd, exponential, 60", equal(60), shift("wait", 1.2), 20],
      ["scale x1.6, normal, 300", equal(300), scale("normal", 1.6), 20],
      ["scale x1.6, lognormal, 300", equal(300), scale("basket", 1.6), 20],
      ["scale x1.6, t3, 1000", equal(1000), scale("t3", 1.6), 20],
      ["25% of the 40% category, 2000", equal(2000), move("channel", 0, 2), 20],
      ["25% of the 30% category, binary, 2000", equal(2000), move("member", 1, 0), 20],
      ["25% of a 16% category of 12, 5000", equal(5000), move("region", 1, 0), 10],
      ["new category at 15%, 300", equal(300), { kind: "newCategory", feature: "region", share: 0.15 }, 20],
      ["30% missing, numeric, 300", equal(300), missing("sensor"), 20],
      ["30% missing, categorical, 300", equal(300), missing("country"), 20],
      ["30% missing, numeric, 60", equal(60), missing("wait"), 20],
    ];
    const random = new Random(3);
    let detected = 0;
    let total = 0;
    const rates: Record<string, string> = {};
    for (const [label, sizes, change, repeats] of material) {
      const name = change.kind === "none" ? "" : change.feature;
      let hits = 0;
      for (let i = 0; i < repeats; i++) {
        const { reference, current } = simulateWindow(random, sizes, change);
        if (compareDatasets(reference, current).features[name]?.drifted) hits++;
      }
      rates[label] = `${hits}/${repeats}`;
      detected += hits;
      total += repeats;
    }
    console.info("material changes detected on the right feature", {
      rate: detected / total,
      detected,
      total,
      rates,
    });
    expect(detected / total).toBeGreaterThanOrEqual(0.95);
  });

  describe("on 100 features (five copies of the 20), 2,000 reference rows against 1,000 current", () => {
    const wide = widenedFeatures(5);
    const sizes: Sizes = { reference: 2000, current: 1000 };

    it("raises a false alarm on at most 5% of windows where nothing changed", () => {
      const result = windowsFlagged(4, [{ sizes, change: { kind: "none" }, repeats: 40 }], wide);
      console.info("no change, 100 features: windows flagged", result);
      expect(result.rate).toBeLessThanOrEqual(0.05);
    });

    it("detects at least 90% of outlier bursts (3% of a feature's values x100 or x1000, 5% x10), on the feature that burst", () => {
      const numeric = FEATURES.filter((feature) => feature.kind === "numeric");
      const bursts = [
        { fraction: 0.03, factor: 100 },
        { fraction: 0.03, factor: 1000 },
        { fraction: 0.05, factor: 10 },
      ];
      const random = new Random(5);
      let detected = 0;
      let total = 0;
      let otherFeaturesFlagged = 0;
      const missed: string[] = [];
      numeric.forEach((spec, k) => {
        for (const { fraction, factor } of bursts) {
          const feature = `${spec.name}_${k % 5}`;
          const change: Change = { kind: "outliers", feature, fraction, factor };
          const { reference, current } = simulateWindow(random, sizes, change, wide);
          const report = compareDatasets(reference, current);
          total++;
          if (report.features[feature]?.drifted) detected++;
          else missed.push(`${feature} ${fraction * 100}% x${factor}`);
          otherFeaturesFlagged += report.driftedFeatures.filter((name) => name !== feature).length;
        }
      });
      console.info("outlier bursts detected on the right feature", {
        rate: detected / total,
        detected,
        total,
        missed,
        otherFeaturesFlagged,
      });
      expect(detected / total).toBeGreaterThanOrEqual(0.9);
    });
  });
});
