import { InputFileError } from "./input-file-error.ts";

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * An RFC 4180 tokenizer that walks a CSV file's bytes one field at a time and reports each field as a
 * byte range, so the reader decides per column whether the bytes become a number or a dictionary
 * code and no string is created per value. Records end at LF, CRLF or CR; a quoted field may hold
 * commas, line breaks and doubled quotes.
 */
export class CsvCursor {
  /** Offset of the next unread byte. */
  pos: number;
  /** The last field's content, `bytes[fieldStart, fieldEnd)`, without its surrounding quotes. */
  fieldStart = 0;
  fieldEnd = 0;
  /** Whether the last field holds doubled quotes (`""`), so its bytes must be unescaped before use. */
  escaped = false;

  constructor(
    readonly bytes: Uint8Array,
    start: number,
    private readonly file: string,
  ) {
    this.pos = start;
  }

  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Moves past empty lines, which hold no record (as pandas' `skip_blank_lines`). */
  skipBlankLines(): void {
    const bytes = this.bytes;
    while (this.pos < bytes.length && (bytes[this.pos] === LF || bytes[this.pos] === CR)) this.pos++;
  }

  /**
   * Reads the field at the cursor and moves past its delimiter.
   *
   * @returns true when the field was the last of its record (a line break or the end of the file followed it)
   * @throws InputFileError for a quoted field that is never closed or is followed by stray text
   */
  readField(): boolean {
    const bytes = this.bytes;
    const length = bytes.length;
    let pos = this.pos;
    if (pos < length && bytes[pos] === QUOTE) {
      const opening = pos;
      this.escaped = false;
      this.fieldStart = ++pos;
      for (;;) {
        const closing = bytes.indexOf(QUOTE, pos);
        if (closing < 0) throw this.error(opening, "a quoted field is never closed");
        if (bytes[closing + 1] === QUOTE) {
          this.escaped = true;
          pos = closing + 2;
          continue;
        }
        this.fieldEnd = closing;
        pos = closing + 1;
        break;
      }
      if (pos < length && bytes[pos] !== COMMA && bytes[pos] !== LF && bytes[pos] !== CR) {
        throw this.error(pos, "unexpected text after a closing quote");
      }
    } else {
      this.escaped = false;
      this.fieldStart = pos;
      while (pos < length) {
        const c = bytes[pos];
        if (c === COMMA || c === LF || c === CR) break;
        pos++;
      }
      this.fieldEnd = pos;
    }
    if (pos >= length) {
      this.pos = pos;
      return true;
    }
    const delimiter = bytes[pos++];
    if (delimiter === CR && bytes[pos] === LF) pos++;
    this.pos = pos;
    return delimiter !== COMMA;
  }

  /** The last field as text, unescaped (for header names and other rare uses). */
  fieldText(): string {
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString(
      "utf8",
      this.fieldStart,
      this.fieldEnd,
    );
    return this.escaped ? text.replaceAll('""', '"') : text;
  }

  /** Unescapes the last field's doubled quotes into `scratch` (at least the field's length); returns its length. */
  unescapeInto(scratch: Uint8Array): number {
    const bytes = this.bytes;
    let length = 0;
    for (let pos = this.fieldStart; pos < this.fieldEnd; pos++) {
      scratch[length++] = bytes[pos] as number;
      if (bytes[pos] === QUOTE) pos++;
    }
    return length;
  }

  /** 1-based line number of the byte at `offset`, counted only when an error needs it. */
  lineAt(offset: number): number {
    const bytes = this.bytes;
    let line = 1;
    for (let pos = 0; pos < offset; pos++) {
      if (bytes[pos] === LF || (bytes[pos] === CR && bytes[pos + 1] !== LF)) line++;
    }
    return line;
  }

  /** An error naming the line of `offset`. */
  error(offset: number, problem: string): InputFileError {
    return new InputFileError(this.file, `line ${this.lineAt(offset)}: ${problem}`);
  }
}
