import { FNV1A_PRIME, FNV1A_SEED } from "./fnv1a.ts";

/**
 * A set of strings kept in typed arrays, for the million record ids of a check: as a `Set<string>` they
 * are a million heap objects, which every major garbage collection marks again while the summary is
 * built (measured: a seventh of the time a million records take to summarise). Here they are code units
 * in one growing buffer, found through an open-addressing table of indices (FNV-1a over the code
 * units), which the collector never looks into. `ByteInterner` is the same table over bytes, but it
 * keeps each value as a string too, for its dictionary, which is what this set must not do.
 *
 * @example
 * const seen = new StringSet();
 * seen.add("req-1"); // true
 * seen.add("req-1"); // false: already there
 */
export class StringSet {
  /** Index + 1 of the string in each slot (0 = empty); kept at most half full. */
  private slots = new Int32Array(1024);
  private codeUnits = new Uint16Array(16 * 1024);
  private codeUnitsUsed = 0;
  /** Where each string starts in `codeUnits` (it ends where the next starts), and its hash. */
  private starts = new Int32Array(512);
  private hashes = new Int32Array(512);
  size = 0;

  /** Adds `value`; returns whether it was new. */
  add(value: string): boolean {
    let hash = FNV1A_SEED;
    for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), FNV1A_PRIME);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) {
        this.insert(value, hash, slot);
        return true;
      }
      if (this.hashes[entry - 1] === hash && this.holds(entry - 1, value)) return false;
    }
  }

  private holds(index: number, value: string): boolean {
    const start = this.starts[index] as number;
    const end = index + 1 < this.size ? (this.starts[index + 1] as number) : this.codeUnitsUsed;
    if (end - start !== value.length) return false;
    for (let i = 0; i < value.length; i++)
      if (this.codeUnits[start + i] !== value.charCodeAt(i)) return false;
    return true;
  }

  private insert(value: string, hash: number, slot: number): void {
    if (this.codeUnitsUsed + value.length > this.codeUnits.length) {
      this.codeUnits = grown(this.codeUnits, this.codeUnitsUsed + value.length);
    }
    for (let i = 0; i < value.length; i++) this.codeUnits[this.codeUnitsUsed + i] = value.charCodeAt(i);
    if (this.size === this.starts.length) {
      this.starts = grown(this.starts, this.size + 1);
      this.hashes = grown(this.hashes, this.size + 1);
    }
    this.starts[this.size] = this.codeUnitsUsed;
    this.hashes[this.size] = hash;
    this.codeUnitsUsed += value.length;
    this.size++;
    this.slots[slot] = this.size;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let index = 0; index < this.size; index++) {
      let slot = (this.hashes[index] as number) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = index + 1;
    }
  }
}

/** A copy of `array` with room for at least `needed` elements, at least twice as long. */
function grown<T extends Int32Array | Uint16Array>(array: T, needed: number): T {
  const copy = new (array.constructor as new (length: number) => T)(Math.max(array.length * 2, needed));
  copy.set(array);
  return copy;
}
