/**
 * Append-only typed arrays for columns whose length is not known until the file is read: capacity
 * doubles when full, so a million values cost a few copies instead of a million boxed numbers.
 */

/** A growable `Float64Array` (numeric column values, NaN for missing). */
export class GrowableFloat64 {
  private buffer: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Float64Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length)
      this.buffer = grow(this.buffer, new Float64Array(this.length * 2));
    this.buffer[this.length++] = value;
  }

  /** Exactly `length` values, in a buffer of that size (the spare capacity is released). */
  finish(): Float64Array {
    return this.length === this.buffer.length ? this.buffer : this.buffer.slice(0, this.length);
  }
}

/** A growable `Int32Array` (categorical column codes, -1 for missing). */
export class GrowableInt32 {
  private buffer: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.buffer = grow(this.buffer, new Int32Array(this.length * 2));
    this.buffer[this.length++] = value;
  }

  /** Exactly `length` values, in a buffer of that size (the spare capacity is released). */
  finish(): Int32Array {
    return this.length === this.buffer.length ? this.buffer : this.buffer.slice(0, this.length);
  }
}

function grow<T extends Float64Array | Int32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
