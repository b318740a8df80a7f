import { describe, expect, it } from "vitest";
import {
  LARGEST_PART_BYTES,
  MAX_PARTS,
  MAX_UPLOAD_BYTES,
  partRanges,
  planParts,
  SMALLEST_PART_BYTES,
} from "#shared/util/upload-parts";

const MiB = 1024 ** 2;

describe("planParts", () => {
  it("cuts an upload into parts of 8 MiB, the last one holding the rest", () => {
    expect(planParts(1)).toEqual({ partSize: 8 * MiB, partCount: 1 });
    expect(planParts(8 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 1 });
    expect(planParts(8 * MiB + 1)).toEqual({ partSize: 8 * MiB, partCount: 2 });
    expect(planParts(20 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 3 });
  });

  it("keeps 8 MiB parts up to 1,000 of them, then doubles the part size only as far as needed", () => {
    expect(planParts(MAX_PARTS * SMALLEST_PART_BYTES)).toEqual({ partSize: 8 * MiB, partCount: 1000 });
    expect(planParts(MAX_PARTS * SMALLEST_PART_BYTES + 1)).toEqual({ partSize: 16 * MiB, partCount: 501 });
    expect(planParts(10 * 1024 ** 3)).toEqual({ partSize: 16 * MiB, partCount: 640 });
    expect(planParts(100 * 1024 ** 3)).toEqual({ partSize: 128 * MiB, partCount: 800 });
  });

  it("takes up to 1,000 parts of 4 GiB, within S3's 5 GiB part and 5 TiB object limits", () => {
    expect(planParts(MAX_UPLOAD_BYTES)).toEqual({ partSize: LARGEST_PART_BYTES, partCount: 1000 });
    expect(LARGEST_PART_BYTES).toBeLessThanOrEqual(5 * 1024 ** 3);
    expect(MAX_UPLOAD_BYTES).toBeLessThanOrEqual(5 * 1024 ** 4);
  });

  it("refuses a size that is not a whole number from 1 to the largest upload", () => {
    for (const bytes of [0, -1, 1.5, Number.NaN, MAX_UPLOAD_BYTES + 1]) {
      expect(() => planParts(bytes), String(bytes)).toThrow(RangeError);
    }
  });
});

describe("partRanges", () => {
  it("covers the file from byte 0 to its end, part after part, with no gap or overlap", () => {
    expect(partRanges(20, 8)).toEqual([
      { partNumber: 1, start: 0, end: 8 },
      { partNumber: 2, start: 8, end: 16 },
      { partNumber: 3, start: 16, end: 20 },
    ]);
    expect(partRanges(16, 8)).toEqual([
      { partNumber: 1, start: 0, end: 8 },
      { partNumber: 2, start: 8, end: 16 },
    ]);
  });

  it("cuts as many parts as planParts counts", () => {
    for (const bytes of [1, 8 * MiB, 8 * MiB + 1, 8000 * MiB + 1, 10 * 1024 ** 3]) {
      const { partSize, partCount } = planParts(bytes);
      const ranges = partRanges(bytes, partSize);
      expect(ranges).toHaveLength(partCount);
      expect(ranges.at(-1)?.end).toBe(bytes);
    }
  });
});
