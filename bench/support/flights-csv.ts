import type { CategoricalColumn, Dataset, NumericColumn } from "#shared/drift/dataset";
import { flightsParquetPath } from "#shared/local/demo/flights";
import { readDataset } from "#shared/readers/read-dataset";
import { allCached, cachePath, writeAtomically } from "./cache-dir.ts";

/** The features the flights benchmark compares, in CSV column order. */
export const FLIGHT_FEATURES = ["hour", "weekday", "distance", "delay", "origin", "destination"] as const;

/** Bump when the derived files change, so stale caches are not reused. */
const VERSION = 1;
const JANUARY = 0;
const JUNE = 5;
const ROWS_PER_CHUNK = 50_000;

export interface FlightsCsv {
  january: string;
  june: string;
}

/**
 * January and June 2001 of the vega-datasets flights as CSV files with the columns of
 * {@link FLIGHT_FEATURES}, written to the benchmark cache on first use. The departure time is stored
 * as local wall-clock time (a timestamp not adjusted to UTC), so its UTC fields are the local hour
 * and weekday; weekday counts from Monday = 0, as pandas' `dayofweek`.
 */
export async function flightsCsv(): Promise<FlightsCsv> {
  const files = {
    january: cachePath(`flights-jan-v${VERSION}.csv`),
    june: cachePath(`flights-jun-v${VERSION}.csv`),
  };
  if (!allCached([files.january, files.june])) {
    process.stderr.write("flights: deriving the January and June CSV files (first run only)\n");
    const flights = await readDataset(flightsParquetPath());
    writeAtomically(files.january, monthCsv(flights, JANUARY));
    writeAtomically(files.june, monthCsv(flights, JUNE));
  }
  return files;
}

function* monthCsv(flights: Dataset, month: number): Generator<string> {
  const date = numeric(flights, "date");
  const delay = numeric(flights, "delay");
  const distance = numeric(flights, "distance");
  const origin = categorical(flights, "origin");
  const destination = categorical(flights, "destination");
  let lines: string[] = [`${FLIGHT_FEATURES.join(",")}\n`];
  for (let row = 0; row < flights.rows; row++) {
    const departure = new Date(date[row] as number);
    if (departure.getUTCMonth() !== month) continue;
    const weekday = (departure.getUTCDay() + 6) % 7;
    lines.push(
      `${departure.getUTCHours()},${weekday},${distance[row]},${delay[row]},${origin.text(row)},${destination.text(row)}\n`,
    );
    if (lines.length === ROWS_PER_CHUNK) {
      yield lines.join("");
      lines = [];
    }
  }
  yield lines.join("");
}

function numeric(dataset: Dataset, name: string): Float64Array {
  return (dataset.columns.get(name) as NumericColumn).values;
}

function categorical(dataset: Dataset, name: string): { text: (row: number) => string } {
  const { codes, dictionary } = dataset.columns.get(name) as CategoricalColumn;
  return { text: (row) => dictionary[codes[row] as number] ?? "" };
}
