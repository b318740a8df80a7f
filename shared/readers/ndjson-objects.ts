const LF = 10;

/**
 * The JSON object on each non-empty line of NDJSON bytes, parsed when the loop reaches it. Each line is
 * decoded on its own, so a whole object's text never becomes one string, and a parsed line can be
 * dropped before the next is read.
 *
 * @param bytes UTF-8 text, lines ending in `\n`
 * @param source what the bytes are (an S3 key), for error messages
 * @throws SyntaxError naming the source and line of a line that is not JSON or not a JSON object
 * @example
 * [...ndjsonObjects(Buffer.from('{"a":1}\n\n{"a":2}\n'), "logs/x.ndjson.gz")]; // [{ a: 1 }, { a: 2 }]
 */
export function* ndjsonObjects(bytes: Buffer, source: string): Generator<Record<string, unknown>> {
  let line = 0;
  for (let start = 0; start < bytes.length; ) {
    const newline = bytes.indexOf(LF, start);
    const end = newline < 0 ? bytes.length : newline;
    line++;
    if (end > start) yield parseObject(bytes.toString("utf8", start, end), source, line);
    start = end + 1;
  }
}

function parseObject(text: string, source: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SyntaxError(`${source}, line ${line}: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SyntaxError(`${source}, line ${line}: not a JSON object`);
  }
  return value as Record<string, unknown>;
}
