/** A valid prediction record; `overrides` replace top-level fields. */
export function sampleRecord(index: number, overrides: Record<string, unknown> = {}) {
  return {
    id: `rec-${index}`,
    timestamp: new Date(Date.UTC(2026, 10, 1, 12, 0, index % 60)).toISOString(),
    features: {
      age: 20 + (index % 50),
      country: ["de", "fr", "us"][index % 3],
      active: index % 2 === 0,
      score: null,
    },
    prediction: index % 2,
    probabilities: { "0": 0.4, "1": 0.6 },
    latencyMs: 5 + (index % 10),
    version: "v1",
    ...overrides,
  };
}
