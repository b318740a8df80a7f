import type { Column } from "#shared/drift/dataset";
import { MISSING_CODE } from "#shared/drift/dataset";
import { ByteInterner } from "./byte-interner.ts";
import type { CsvCursor } from "./csv-cursor.ts";
import { isBlankBytes, isNanText, parseDecimalBytes } from "./decimal-bytes.ts";

/**
 * The columns of a CSV file being read: each one a typed array filled in place, numeric until a value
 * that is not a number shows up, then categorical. A column that turns categorical at row r keeps
 * its codes from r on; the rows before r are re-read from the file afterwards ({@link CsvColumns.pendingRows})
 * so every category is the file's own text, not a number printed back.
 *
 * The arrays are public for the record loop's fast paths (see csv-records.ts); {@link store} is the
 * general path that handles every field.
 */
export class CsvColumns {
  /** Rows the column arrays have room for. */
  capacity: number;
  /** Per column: the numbers while it is numeric, null once categorical. */
  readonly numbers: (Float64Array | null)[];
  /** Per column: the codes once categorical, null while numeric. */
  readonly codes: (Int32Array | null)[];
  /** Per column: the dictionary of a categorical column, null while numeric. */
  readonly interners: (ByteInterner | null)[];
  /** Per column: the first row stored as a code (0 when categorical from the start). */
  private readonly categoricalFrom: number[];
  private scratch = new Uint8Array(256);

  constructor(
    private readonly names: readonly string[],
    forcedCategorical: ReadonlySet<string>,
    capacity: number,
  ) {
    this.capacity = Math.max(16, capacity);
    const forced = names.map((name) => forcedCategorical.has(name));
    this.numbers = forced.map((isForced) => (isForced ? null : new Float64Array(this.capacity)));
    this.codes = forced.map((isForced) => (isForced ? new Int32Array(this.capacity) : null));
    this.interners = forced.map((isForced) => (isForced ? new ByteInterner() : null));
    this.categoricalFrom = names.map(() => 0);
  }

  /** Doubles the room of every column (rows are stored in order, so this is called when row = capacity). */
  grow(): void {
    this.capacity *= 2;
    this.numbers.forEach((values, col) => {
      if (values) this.numbers[col] = copyInto(values, new Float64Array(this.capacity));
    });
    this.codes.forEach((codes, col) => {
      if (codes) this.codes[col] = copyInto(codes, new Int32Array(this.capacity));
    });
  }

  /** Stores the field the cursor has just read as column `col` of row `row`, whatever it holds. */
  store(cursor: CsvCursor, col: number, row: number): void {
    const values = this.numbers[col];
    if (values) {
      const bytes = cursor.bytes;
      const start = cursor.fieldStart;
      const end = cursor.fieldEnd;
      const value = parseDecimalBytes(bytes, start, end);
      if (!Number.isNaN(value) || isBlankBytes(bytes, start, end) || isNanText(bytes, start, end)) {
        values[row] = value;
        return;
      }
      this.turnCategorical(col, row);
    }
    (this.codes[col] as Int32Array)[row] = this.code(cursor, col);
  }

  /**
   * Per column, the rows it still has to read as categorical: [0, n) for a column that turned
   * categorical at row n (0 for every other column).
   */
  pendingRows(): readonly number[] {
    return this.categoricalFrom;
  }

  /** Stores column `col` of a row before the column turned categorical (see {@link pendingRows}). */
  storeEarlyCode(cursor: CsvCursor, col: number, row: number): void {
    (this.codes[col] as Int32Array)[row] = this.code(cursor, col);
  }

  /** The finished columns, each exactly `rows` long, in header order. */
  finish(rows: number): Map<string, Column> {
    const columns = new Map<string, Column>();
    this.names.forEach((name, col) => {
      const values = this.numbers[col];
      const interner = this.interners[col];
      if (values) columns.set(name, { kind: "numeric", values: trim(values, rows) });
      else if (interner) {
        columns.set(name, {
          kind: "categorical",
          codes: trim(this.codes[col] as Int32Array, rows),
          dictionary: interner.dictionary,
        });
      }
    });
    return columns;
  }

  private turnCategorical(col: number, row: number): void {
    this.numbers[col] = null;
    this.codes[col] = new Int32Array(this.capacity);
    this.interners[col] = new ByteInterner();
    this.categoricalFrom[col] = row;
  }

  private code(cursor: CsvCursor, col: number): number {
    const bytes = cursor.bytes;
    const start = cursor.fieldStart;
    const end = cursor.fieldEnd;
    if (isBlankBytes(bytes, start, end)) return MISSING_CODE;
    const interner = this.interners[col] as ByteInterner;
    if (!cursor.escaped) return interner.intern(bytes, start, end);
    if (this.scratch.length < end - start) this.scratch = new Uint8Array(end - start);
    return interner.intern(this.scratch, 0, cursor.unescapeInto(this.scratch));
  }
}

function copyInto<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/**
 * Cuts a column to its row count. A little spare capacity is kept as a view rather than copied, to
 * avoid a second copy of every column at its largest.
 */
function trim<T extends Float64Array | Int32Array>(array: T, rows: number): T {
  if (array.length - rows <= rows / 16) return array.subarray(0, rows) as T;
  return array.slice(0, rows) as T;
}
