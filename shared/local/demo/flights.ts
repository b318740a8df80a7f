import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { CategoricalColumn, Dataset, NumericColumn } from "#shared/drift/dataset";
import { readDataset } from "#shared/readers/read-dataset";

/** The flights file shipped by the vega-datasets package: 3M US flights, January to June 2001. */
export function flightsParquetPath(): string {
  // The package exports only its JavaScript entry (build/index.js); the data sits beside build/.
  const entry = createRequire(import.meta.url).resolve("vega-datasets");
  return join(dirname(entry), "..", "data", "flights-3m.parquet");
}

/** One flight as the demo model sees it. */
export interface Flight {
  /** Local departure hour, 0-23, and weekday, Monday = 0. */
  hour: number;
  weekday: number;
  /** Miles. */
  distance: number;
  origin: string;
  destination: string;
  /** Arrival delay in minutes: the ground truth. */
  delay: number;
}

/**
 * The flights of two months of 2001, in departure order. The departure time is stored as local
 * wall-clock time (not adjusted to UTC), so its UTC fields are the local hour and weekday.
 */
export async function flightsOf(months: readonly number[]): Promise<Map<number, Flight[]>> {
  const flights = await readDataset(flightsParquetPath());
  const date = numeric(flights, "date");
  const delay = numeric(flights, "delay");
  const distance = numeric(flights, "distance");
  const origin = categorical(flights, "origin");
  const destination = categorical(flights, "destination");
  const byMonth = new Map(months.map((month) => [month, [] as Array<Flight & { at: number }>]));
  for (let row = 0; row < flights.rows; row++) {
    const at = date[row] as number;
    const departure = new Date(at);
    const month = byMonth.get(departure.getUTCMonth());
    if (!month || Number.isNaN(delay[row] as number)) continue;
    month.push({
      at,
      hour: departure.getUTCHours(),
      weekday: (departure.getUTCDay() + 6) % 7,
      distance: distance[row] as number,
      origin: origin(row),
      destination: destination(row),
      delay: delay[row] as number,
    });
  }
  return new Map(
    [...byMonth].map(([month, list]) => [
      month,
      list.sort((a, b) => a.at - b.at).map(({ at: _, ...flight }) => flight),
    ]),
  );
}

function numeric(dataset: Dataset, name: string): Float64Array {
  return (dataset.columns.get(name) as NumericColumn).values;
}

function categorical(dataset: Dataset, name: string): (row: number) => string {
  const { codes, dictionary } = dataset.columns.get(name) as CategoricalColumn;
  return (row) => dictionary[codes[row] as number] ?? "";
}
