import { z } from "zod";
import type { ColumnSummary, DatasetSummary } from "./dataset-summary.ts";

/** What a summary's binary payload holds, as JSON: the counts, and where each column's numbers are. */
export const summaryHeaderSchema = z.object({
  rows: z.int().nonnegative(),
  columns: z.array(
    z.object({
      name: z.string(),
      /** How many numbers the column has; they follow the previous column's in the payload. */
      numbers: z.int().nonnegative(),
      categories: z.array(z.tuple([z.string(), z.int().positive()])),
    }),
  ),
});

export type SummaryHeader = z.infer<typeof summaryHeaderSchema>;

/**
 * Splits a summary into a JSON header and one payload of every column's numbers back to back, as
 * little-endian doubles: loading is then one read and a typed-array view per column, no parsing.
 * Numbers are written sorted when `sortNumbers` is set (baselines), so a reader can trust the order.
 */
export function encodeSummary(
  summary: DatasetSummary,
  { sortNumbers = false } = {},
): { header: SummaryHeader; payload: Uint8Array } {
  let total = 0;
  for (const column of summary.columns.values()) total += column.numbers.length;
  const numbers = new Float64Array(total);
  const columns: SummaryHeader["columns"] = [];
  let offset = 0;
  for (const [name, column] of summary.columns) {
    numbers.set(column.numbers, offset);
    if (sortNumbers) numbers.subarray(offset, offset + column.numbers.length).sort();
    offset += column.numbers.length;
    columns.push({ name, numbers: column.numbers.length, categories: [...column.categories] });
  }
  return { header: { rows: summary.rows, columns }, payload: littleEndianBytes(numbers) };
}

/** The summary {@link encodeSummary} split; the numbers are views into `payload` where alignment allows. */
export function decodeSummary(header: SummaryHeader, payload: Uint8Array): DatasetSummary {
  const numbers = doublesOf(payload);
  const columns = new Map<string, ColumnSummary>();
  let offset = 0;
  for (const column of header.columns) {
    columns.set(column.name, {
      numbers: numbers.subarray(offset, offset + column.numbers),
      categories: new Map(column.categories),
    });
    offset += column.numbers;
  }
  if (offset !== numbers.length) {
    throw new RangeError(`summary payload holds ${numbers.length} numbers, its header ${offset}`);
  }
  return { rows: header.rows, columns };
}

/** One object holding both parts: a 4-byte header length, the header JSON, padding to 8, the payload. */
export function packSummary(summary: DatasetSummary): Uint8Array {
  const { header, payload } = encodeSummary(summary);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((4 + json.length) / 8) * 8;
  const packed = new Uint8Array(start + payload.length);
  new DataView(packed.buffer).setUint32(0, json.length, true);
  packed.set(json, 4);
  packed.set(payload, start);
  return packed;
}

/** The summary {@link packSummary} packed. */
export function unpackSummary(packed: Uint8Array): DatasetSummary {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const length = view.getUint32(0, true);
  const header = summaryHeaderSchema.parse(
    JSON.parse(new TextDecoder().decode(packed.subarray(4, 4 + length))),
  );
  return decodeSummary(header, packed.subarray(Math.ceil((4 + length) / 8) * 8));
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function littleEndianBytes(numbers: Float64Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(numbers.buffer, numbers.byteOffset, numbers.byteLength);
  const bytes = new Uint8Array(numbers.length * 8);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < numbers.length; i++) view.setFloat64(i * 8, numbers[i] as number, true);
  return bytes;
}

function doublesOf(bytes: Uint8Array): Float64Array {
  if (bytes.length % 8 !== 0)
    throw new RangeError(`summary payload of ${bytes.length} bytes is not whole doubles`);
  if (LITTLE_ENDIAN && bytes.byteOffset % 8 === 0) {
    return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: bytes.length / 8 }, (_, i) => view.getFloat64(i * 8, true));
}
