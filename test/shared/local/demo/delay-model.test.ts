import { describe, expect, it } from "vitest";
import { fitDelayModel, predictDelay } from "#shared/local/demo/delay-model";
import type { Flight } from "#shared/local/demo/flights";

const flight = (hour: number, distance: number, delay: number): Flight => ({
  hour,
  weekday: 0,
  distance,
  origin: "SFO",
  destination: "LAX",
  delay,
});

describe("the demo's delay model", () => {
  it("recovers a slope per mile and an offset per hour when distance does not depend on the hour", () => {
    // delay = 0.01 · distance + (5 at 8h, 20 at 18h), exactly, with the same distances at both hours.
    const flights = [flight(8, 100, 6), flight(8, 500, 10), flight(18, 100, 21), flight(18, 500, 25)];
    const model = fitDelayModel(flights);
    expect(model.perMile).toBeCloseTo(0.01, 12);
    expect(model.byHour[8]).toBeCloseTo(5, 12);
    expect(model.byHour[18]).toBeCloseTo(20, 12);
    expect(predictDelay(model, 18, 300)).toBe(23);
  });

  it("predicts the overall level for an hour it never saw", () => {
    const model = fitDelayModel([flight(8, 100, 6), flight(8, 500, 10)]);
    expect(predictDelay(model, 3, 100)).toBe(6);
  });
});
