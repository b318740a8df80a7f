import type { Flight } from "./flights.ts";

/**
 * The demo's model: arrival delay predicted from the departure hour and the distance, fitted on
 * January by least squares, `delay ≈ b · distance + h[hour]` (b the slope of delay on distance, h the
 * mean of what is left per hour). Simple on purpose: what the demo shows is how monitoring sees it
 * fail, not how to predict delays.
 */
export interface DelayModel {
  perMile: number;
  byHour: number[];
}

export function fitDelayModel(flights: readonly Flight[]): DelayModel {
  let meanDistance = 0;
  let meanDelay = 0;
  for (const flight of flights) {
    meanDistance += flight.distance / flights.length;
    meanDelay += flight.delay / flights.length;
  }
  let covariance = 0;
  let variance = 0;
  for (const flight of flights) {
    covariance += (flight.distance - meanDistance) * (flight.delay - meanDelay);
    variance += (flight.distance - meanDistance) ** 2;
  }
  const perMile = variance > 0 ? covariance / variance : 0;
  const sums = new Array<number>(24).fill(0);
  const counts = new Array<number>(24).fill(0);
  for (const flight of flights) {
    sums[flight.hour] = (sums[flight.hour] as number) + flight.delay - perMile * flight.distance;
    counts[flight.hour] = (counts[flight.hour] as number) + 1;
  }
  const overall = meanDelay - perMile * meanDistance;
  return {
    perMile,
    byHour: sums.map((sum, hour) => (counts[hour] ? sum / (counts[hour] as number) : overall)),
  };
}

/** The predicted delay in minutes for a flight as the model receives it (distance as sent to it). */
export function predictDelay(model: DelayModel, hour: number, distance: number): number {
  return Math.round((model.perMile * distance + (model.byHour[hour] as number)) * 10) / 10;
}
