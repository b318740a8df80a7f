import { FNV1A_PRIME, FNV1A_SEED } from "#shared/util/fnv1a";

/**
 * Interns categorical values straight from a file's bytes: each distinct value is decoded to a string
 * once, for the dictionary, and every occurrence costs a hash and a byte comparison instead of a new
 * string. Codes are dense, in order of first appearance.
 */

const utf8 = new TextDecoder("utf-8");

export class ByteInterner {
  /** Code -> value, decoded as UTF-8. */
  readonly dictionary: string[] = [];
  /** Open-addressing table of code + 1 (0 = empty slot); its size is a power of two. */
  private slots = new Int32Array(64);
  /** Copies of each distinct value's bytes, back to back, so the source buffer can be a scratch buffer. */
  private keys = new Uint8Array(1024);
  private keysUsed = 0;
  private keyStart: number[] = [];
  private keyHash: number[] = [];

  /** The code of the value spelled by `bytes[start, end)`, adding it to the dictionary if new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    let hash = FNV1A_SEED;
    for (let pos = start; pos < end; pos++) hash = Math.imul(hash ^ (bytes[pos] as number), FNV1A_PRIME);
    return this.internHashed(bytes, start, end, hash);
  }

  /** {@link intern} for a caller that has already hashed the bytes with FNV-1a (`#shared/util/fnv1a`), as a tokenizer can while it scans a field. */
  internHashed(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot] as number;
      if (entry === 0) return this.add(bytes, start, end, hash, slot);
      const code = entry - 1;
      if (this.keyHash[code] === hash && this.sameKey(code, bytes, start, end)) return code;
    }
  }

  private sameKey(code: number, bytes: Uint8Array, start: number, end: number): boolean {
    const keyStart = this.keyStart[code] as number;
    const keyEnd = this.keyStart[code + 1] ?? this.keysUsed;
    if (keyEnd - keyStart !== end - start) return false;
    for (let i = 0; i < end - start; i++) if (this.keys[keyStart + i] !== bytes[start + i]) return false;
    return true;
  }

  private add(bytes: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const code = this.dictionary.length;
    const length = end - start;
    if (this.keysUsed + length > this.keys.length) {
      const keys = new Uint8Array(Math.max(this.keys.length * 2, this.keysUsed + length));
      keys.set(this.keys);
      this.keys = keys;
    }
    this.keys.set(bytes.subarray(start, end), this.keysUsed);
    this.keyStart.push(this.keysUsed);
    this.keyHash.push(hash);
    this.keysUsed += length;
    this.dictionary.push(utf8.decode(bytes.subarray(start, end)));
    this.slots[slot] = code + 1;
    // Keep the table at most half full so probe sequences stay short.
    if (this.dictionary.length * 2 > this.slots.length) this.rehash();
    return code;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    this.keyHash.forEach((hash, code) => {
      let slot = hash & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = code + 1;
    });
  }
}
