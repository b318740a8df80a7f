/** Below this length the built-in sort is as fast, without the radix passes' histograms. */
const RADIX_MIN_LENGTH = 1 << 14;
/** Runs of values sharing their high 32 bits up to this length are finished by insertion sort. */
const INSERTION_MAX_RUN = 32;
const DIGITS = [
  { shift: 0, bits: 11 },
  { shift: 11, bits: 11 },
  { shift: 22, bits: 10 },
] as const;
/** The radix passes read each double as two 32-bit words; on a big-endian machine the built-in sort runs. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A numeric column's non-missing values, sorted, and how many values were missing (NaN). */
export interface SortedColumn {
  sorted: Float64Array;
  missing: number;
}

/**
 * Sorts a numeric column once, without its missing (NaN) values: the sorted array every numeric test,
 * the decile bins and the Wasserstein and energy distances then share. The same result as
 * `sortedSample` of `#shared/stats/sorted-sample` (ascending, -0 before 0), about twice as fast on
 * a million values, which matters because the engine sorts every numeric column of both data sets and
 * sorting is the largest single cost of a comparison.
 *
 * How: an LSD radix sort on the high 32 bits of each double (sign, exponent and 20 bits of mantissa,
 * turned into an unsigned key that orders like the number), three passes of 11, 11 and 10 bits, puts
 * every value within a run of values sharing those bits, i.e. within one part in a million of its
 * place. One pass of insertion sort over such short runs finishes the order; a longer run (values
 * differing only far down the mantissa, such as 1e15 + i) is handed to the built-in sort.
 *
 * @param values one column, NaN for missing; not modified
 * @example
 * sortColumn(new Float64Array([3, Number.NaN, -1, 2])); // { sorted: Float64Array [-1, 2, 3], missing: 1 }
 */
export function sortColumn(values: Float64Array): SortedColumn {
  const buffer = new Float64Array(values.length);
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (!Number.isNaN(value)) buffer[present++] = value;
  }
  const sorted = present === values.length ? buffer : buffer.subarray(0, present);
  if (present < RADIX_MIN_LENGTH || !LITTLE_ENDIAN) sorted.sort();
  else radixSort(sorted);
  return { sorted, missing: values.length - present };
}

/** The high word of a double as an unsigned key in numeric order: negatives inverted, sign bit set on the rest. */
function orderedHighWord(high: number): number {
  return (high >>> 31 === 1 ? ~high : high | 0x80000000) >>> 0;
}

function radixSort(data: Float64Array): void {
  const n = data.length;
  const counts = DIGITS.map(({ bits }) => new Uint32Array(1 << bits));
  const [low, middle, high] = counts as [Uint32Array, Uint32Array, Uint32Array];
  const words = new Uint32Array(data.buffer, data.byteOffset, 2 * n);
  for (let i = 0; i < n; i++) {
    const key = orderedHighWord(words[2 * i + 1] as number);
    increment(low, key & 0x7ff);
    increment(middle, (key >>> 11) & 0x7ff);
    increment(high, key >>> 22);
  }
  let source: Float64Array = data;
  let target: Float64Array = new Float64Array(n);
  for (let pass = 0; pass < DIGITS.length; pass++) {
    const count = counts[pass] as Uint32Array;
    if (count.includes(n)) continue;
    const { shift, bits } = DIGITS[pass] as (typeof DIGITS)[number];
    scatter(source, target, count, shift, (1 << bits) - 1);
    [source, target] = [target, source];
  }
  finishRuns(source);
  if (source !== data) data.set(source);
}

/** One LSD pass: moves every value to its place by one digit of its ordered high word, stably. */
function scatter(
  source: Float64Array,
  target: Float64Array,
  count: Uint32Array,
  shift: number,
  mask: number,
): void {
  let offset = 0;
  for (let d = 0; d < count.length; d++) {
    const size = count[d] as number;
    count[d] = offset;
    offset += size;
  }
  const words = new Uint32Array(source.buffer, source.byteOffset, 2 * source.length);
  for (let i = 0; i < source.length; i++) {
    const digit = (orderedHighWord(words[2 * i + 1] as number) >>> shift) & mask;
    const position = count[digit] as number;
    count[digit] = position + 1;
    target[position] = source[i] as number;
  }
}

function increment(counts: Uint32Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}

/** Sorts each run of values that share their high word; the runs themselves are already in order. */
function finishRuns(data: Float64Array): void {
  const words = new Uint32Array(data.buffer, data.byteOffset, 2 * data.length);
  let start = 0;
  while (start < data.length) {
    const high = words[2 * start + 1] as number;
    let end = start + 1;
    while (end < data.length && words[2 * end + 1] === high) end++;
    if (end - start > INSERTION_MAX_RUN) data.subarray(start, end).sort();
    else insertionSort(data, start, end);
    start = end;
  }
}

function insertionSort(data: Float64Array, start: number, end: number): void {
  for (let i = start + 1; i < end; i++) {
    const value = data[i] as number;
    let j = i - 1;
    while (j >= start && (data[j] as number) > value) {
      data[j + 1] = data[j] as number;
      j--;
    }
    data[j + 1] = value;
  }
}
