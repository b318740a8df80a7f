/**
 * How an upload is cut into the parts of an S3 multipart upload through pre-signed part URLs: the
 * API picks the part size from the file's size, and the client cuts the file the same way.
 */

/**
 * The part size unless the file needs more than {@link MAX_PARTS} of it: above S3's 5 MiB minimum
 * for every part but the last, and below the 11 MiB the local emulator (fauxqs) takes in one request.
 */
export const SMALLEST_PART_BYTES = 8 * 1024 ** 2;

/**
 * Parts one upload may have. S3 takes 10,000, but the API answers with one pre-signed URL per part,
 * up to 1.9 kB each on AWS (the session token is most of it), and a Lambda answer holds 6 MB at most.
 */
export const MAX_PARTS = 1000;

/** The largest part: {@link SMALLEST_PART_BYTES} doubled while it stays within S3's 5 GiB part limit. */
export const LARGEST_PART_BYTES = 4 * 1024 ** 3;

/** The largest upload: {@link MAX_PARTS} parts of {@link LARGEST_PART_BYTES}, about 4.3 TB (S3 objects go to 5 TiB). */
export const MAX_UPLOAD_BYTES = MAX_PARTS * LARGEST_PART_BYTES;

export interface PartPlan {
  /** Bytes of every part but the last, which holds the rest. */
  partSize: number;
  partCount: number;
}

/** One part of an upload: bytes `start` (inclusive) to `end` (exclusive) of the file. */
export interface PartRange {
  partNumber: number;
  start: number;
  end: number;
}

/**
 * The part size and count for an upload of `bytes`: parts of {@link SMALLEST_PART_BYTES}, doubled
 * only as often as needed to keep within {@link MAX_PARTS}.
 *
 * @throws RangeError for a size that is not a whole number from 1 to {@link MAX_UPLOAD_BYTES}
 * @example
 * planParts(20 * 1024 ** 2); // {partSize: 8388608, partCount: 3}
 * planParts(10 * 1024 ** 3); // {partSize: 16777216, partCount: 640}
 */
export function planParts(bytes: number): PartPlan {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_UPLOAD_BYTES) {
    throw new RangeError(`an upload holds 1 to ${MAX_UPLOAD_BYTES} bytes, not ${bytes}`);
  }
  let partSize = SMALLEST_PART_BYTES;
  while (Math.ceil(bytes / partSize) > MAX_PARTS) partSize *= 2;
  return { partSize, partCount: Math.ceil(bytes / partSize) };
}

/**
 * The byte range of each part of a file of `bytes` cut into parts of `partSize`, part numbers from 1.
 *
 * @example
 * partRanges(20, 8); // [{partNumber: 1, start: 0, end: 8}, {partNumber: 2, start: 8, end: 16}, {partNumber: 3, start: 16, end: 20}]
 */
export function partRanges(bytes: number, partSize: number): PartRange[] {
  return Array.from({ length: Math.ceil(bytes / partSize) }, (_, index) => ({
    partNumber: index + 1,
    start: index * partSize,
    end: Math.min((index + 1) * partSize, bytes),
  }));
}
