/**
 * A minimal Parquet writer for test fixtures (no writer package is installed): flat OPTIONAL columns,
 * one row group, one PLAIN data page per column, compressed with any of the codecs the reader must
 * handle. Snappy and zstd are written in their simplest valid forms (literal-only snappy, a raw zstd
 * block), which is exactly what their decompressors must accept.
 */
import { gzipSync } from "node:zlib";

export type ParquetCodec = "UNCOMPRESSED" | "SNAPPY" | "GZIP" | "ZSTD";

export type FixtureColumn =
  | { name: string; type: "double"; values: (number | null)[] }
  | { name: string; type: "int64"; values: (bigint | null)[] }
  | { name: string; type: "timestamp-millis"; values: (bigint | null)[] }
  | { name: string; type: "string"; values: (string | null)[] }
  | { name: string; type: "boolean"; values: (boolean | null)[] };

const CODEC_IDS: Record<ParquetCodec, number> = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, ZSTD: 6 };
const PHYSICAL_TYPES = { double: 5, int64: 2, "timestamp-millis": 2, string: 6, boolean: 0 } as const;
const UTF8 = 0;
const TIMESTAMP_MILLIS = 9;
const OPTIONAL = 1;
const PLAIN = 0;
const RLE = 3;

/** The bytes of a Parquet file holding `columns` (all of the same length). */
export function parquetFile(columns: FixtureColumn[], codec: ParquetCodec): Uint8Array {
  const rows = columns[0]?.values.length ?? 0;
  const parts: Uint8Array[] = [ascii("PAR1")];
  let offset = 4;
  const chunks = columns.map((column) => {
    const body = concat([withLength(definitionLevels(column.values)), plainValues(column)]);
    const compressed = compress(body, codec);
    const header = struct([
      [1, "i32", 0],
      [2, "i32", body.length],
      [3, "i32", compressed.length],
      [
        5,
        "struct",
        struct([
          [1, "i32", rows],
          [2, "i32", PLAIN],
          [3, "i32", RLE],
          [4, "i32", RLE],
        ]),
      ],
    ]);
    const pageOffset = offset;
    parts.push(header, compressed);
    offset += header.length + compressed.length;
    const size = header.length + compressed.length;
    const uncompressedSize = header.length + body.length;
    return struct([
      [2, "i64", pageOffset],
      [
        3,
        "struct",
        struct([
          [1, "i32", PHYSICAL_TYPES[column.type]],
          [2, "list-i32", [PLAIN, RLE]],
          [3, "list-string", [column.name]],
          [4, "i32", CODEC_IDS[codec]],
          [5, "i64", rows],
          [6, "i64", uncompressedSize],
          [7, "i64", size],
          [9, "i64", pageOffset],
        ]),
      ],
    ]);
  });
  const schema = [
    struct([
      [4, "string", "schema"],
      [5, "i32", columns.length],
    ]),
    ...columns.map((column) => {
      const converted =
        column.type === "string" ? UTF8 : column.type === "timestamp-millis" ? TIMESTAMP_MILLIS : undefined;
      return struct([
        [1, "i32", PHYSICAL_TYPES[column.type]],
        [3, "i32", OPTIONAL],
        [4, "string", column.name],
        ...(converted === undefined ? [] : [[6, "i32", converted] as Field]),
      ]);
    }),
  ];
  const footer = struct([
    [1, "i32", 1],
    [2, "list-struct", schema],
    [3, "i64", rows],
    [
      4,
      "list-struct",
      [
        struct([
          [1, "list-struct", chunks],
          [2, "i64", offset],
          [3, "i64", rows],
        ]),
      ],
    ],
  ]);
  const footerLength = new Uint8Array(4);
  new DataView(footerLength.buffer).setUint32(0, footer.length, true);
  return concat([...parts, footer, footerLength, ascii("PAR1")]);
}

/** Definition levels (1 = present) as one bit-packed run of the RLE/bit-packing hybrid, bit width 1. */
function definitionLevels(values: unknown[]): Uint8Array {
  const groups = Math.ceil(values.length / 8);
  const bits = new Uint8Array(groups);
  values.forEach((value, i) => {
    if (value !== null) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
  });
  return concat([varint((groups << 1) | 1), bits]);
}

function plainValues(column: FixtureColumn): Uint8Array {
  const present = (column.values as unknown[]).filter((value) => value !== null);
  switch (column.type) {
    case "double":
      return Uint8Array.from(new Uint8Array(Float64Array.from(present as number[]).buffer));
    case "int64":
    case "timestamp-millis":
      return new Uint8Array(BigInt64Array.from(present as bigint[]).buffer);
    case "boolean": {
      const bits = new Uint8Array(Math.ceil(present.length / 8));
      present.forEach((value, i) => {
        if (value) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
      });
      return bits;
    }
    case "string":
      return concat((present as string[]).map((text) => withLength(new TextEncoder().encode(text))));
  }
}

function compress(body: Uint8Array, codec: ParquetCodec): Uint8Array {
  switch (codec) {
    case "UNCOMPRESSED":
      return body;
    case "GZIP":
      return new Uint8Array(gzipSync(body));
    case "SNAPPY": {
      const literals: Uint8Array[] = [varint(body.length)];
      for (let start = 0; start < body.length; start += 60) {
        const piece = body.subarray(start, start + 60);
        literals.push(Uint8Array.of((piece.length - 1) << 2), piece);
      }
      return concat(literals);
    }
    case "ZSTD": {
      // Frame: magic, descriptor (single segment, 4-byte content size), one last raw block.
      const header = new Uint8Array(4 + 1 + 4 + 3);
      const view = new DataView(header.buffer);
      view.setUint32(0, 0xfd2fb528, true);
      header[4] = 0xa0;
      view.setUint32(5, body.length, true);
      const block = (body.length << 3) | 1;
      header.set([block & 0xff, (block >> 8) & 0xff, (block >> 16) & 0xff], 9);
      return concat([header, body]);
    }
  }
}

type Field =
  | [number, "i32" | "i64", number]
  | [number, "string", string]
  | [number, "struct", Uint8Array]
  | [number, "list-i32", number[]]
  | [number, "list-string", string[]]
  | [number, "list-struct", Uint8Array[]];

/** A Thrift compact-protocol struct: field headers carry the id delta and the type; 0 ends it. */
function struct(fields: Field[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let last = 0;
  const TYPES = { i32: 5, i64: 6, string: 8, struct: 12, "list-i32": 9, "list-string": 9, "list-struct": 9 };
  for (const [id, type, value] of fields) {
    parts.push(Uint8Array.of(((id - last) << 4) | TYPES[type]));
    last = id;
    if (type === "i32" || type === "i64") parts.push(varint(zigzag(value as number)));
    else if (type === "string") parts.push(withVarintLength(new TextEncoder().encode(value as string)));
    else if (type === "struct") parts.push(value as Uint8Array);
    else if (type === "list-i32")
      parts.push(
        listHeader((value as number[]).length, 5),
        ...(value as number[]).map((n) => varint(zigzag(n))),
      );
    else if (type === "list-string")
      parts.push(
        listHeader((value as string[]).length, 8),
        ...(value as string[]).map((text) => withVarintLength(new TextEncoder().encode(text))),
      );
    else parts.push(listHeader((value as Uint8Array[]).length, 12), ...(value as Uint8Array[]));
  }
  parts.push(Uint8Array.of(0));
  return concat(parts);
}

function listHeader(size: number, elementType: number): Uint8Array {
  return size < 15
    ? Uint8Array.of((size << 4) | elementType)
    : concat([Uint8Array.of(0xf0 | elementType), varint(size)]);
}

function zigzag(n: number): number {
  return n >= 0 ? n * 2 : -n * 2 - 1;
}

function varint(n: number): Uint8Array {
  const bytes: number[] = [];
  let rest = n;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Uint8Array.from(bytes);
}

function withLength(bytes: Uint8Array): Uint8Array {
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, bytes.length, true);
  return concat([length, bytes]);
}

function withVarintLength(bytes: Uint8Array): Uint8Array {
  return concat([varint(bytes.length), bytes]);
}

function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
