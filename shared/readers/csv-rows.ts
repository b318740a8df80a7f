import { InputFileError } from "./input-file-error.ts";

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** One CSV record: the line it starts on (1-based), its fields, and what is wrong with it, if anything. */
export interface CsvRecord {
  line: number;
  fields: string[];
  /** A quoting mistake the record was read past (its fields are then unreliable). */
  problem?: string;
}

type State = "fieldStart" | "unquoted" | "quoted" | "quoteInQuoted";

/**
 * An RFC 4180 record splitter fed text as it arrives (`push` each piece, then `end`), so a file of any
 * size is read holding one record at a time. The rules are those of the whole-file tokenizer
 * (csv-cursor.ts): comma-separated, a quote is special only at the start of a field, a quoted field may
 * hold commas, line breaks and doubled quotes, records end at LF, CRLF or CR, empty lines hold no
 * record. That tokenizer walks one buffer holding the whole file and cannot tell a record cut off by
 * the end of a piece from a malformed one, hence this second, row-oriented one. Anything yielding
 * {@link CsvRecord}s (a maintained CSV package's parser) can take its place in record-rows.ts.
 */
export class CsvRecordSplitter {
  private state: State = "fieldStart";
  private fields: string[] = [];
  private field = "";
  private recordChars = 0;
  private atRecordStart = true;
  private problem: string | undefined;
  /** The line the next character is on, and whether the character before it was a CR (CRLF is one break). */
  private line = 1;
  private afterCr = false;
  private recordLine = 1;

  /**
   * @param file the file's name, for error messages
   * @param maxRecordChars a record longer than this is an error: on its own it could never be sent, and
   *   it is most likely an unclosed quote swallowing the rest of the file
   */
  constructor(
    private readonly file: string,
    private readonly maxRecordChars: number,
  ) {}

  /** Splits the next piece of text, returning the records it completes. */
  push(text: string): CsvRecord[] {
    const records: CsvRecord[] = [];
    const length = text.length;
    let pos = 0;
    while (pos < length) {
      if (this.state === "quoted") {
        const closing = text.indexOf('"', pos);
        const end = closing < 0 ? length : closing;
        this.append(text, pos, end);
        this.countLineBreaks(text, pos, end);
        if (closing >= 0) {
          this.state = "quoteInQuoted";
          this.afterCr = false;
        }
        pos = end + 1;
        continue;
      }
      const c = text.charCodeAt(pos);
      if (this.afterCr && c === LF) {
        // The LF of a CRLF whose CR ended the previous record, perhaps in the previous piece.
        this.afterCr = false;
        pos++;
        continue;
      }
      this.afterCr = false;
      if (this.state === "quoteInQuoted") {
        if (c === QUOTE) {
          this.append('"', 0, 1);
          this.state = "quoted";
          pos++;
          continue;
        }
        this.state = "unquoted";
        if (c !== COMMA && c !== LF && c !== CR) this.problem ??= "unexpected text after a closing quote";
      } else if (this.state === "fieldStart" && c === QUOTE) {
        this.atRecordStart = false;
        this.state = "quoted";
        pos++;
        continue;
      }
      let end = pos;
      while (end < length) {
        const next = text.charCodeAt(end);
        if (next === COMMA || next === LF || next === CR) break;
        end++;
      }
      if (end > pos) {
        this.atRecordStart = false;
        this.append(text, pos, end);
        this.state = "unquoted";
      }
      if (end === length) break;
      const delimiter = text.charCodeAt(end);
      pos = end + 1;
      if (delimiter === COMMA) {
        this.atRecordStart = false;
        this.endField();
        continue;
      }
      this.afterCr = delimiter === CR;
      this.line++;
      if (this.atRecordStart) {
        this.recordLine = this.line;
        continue;
      }
      records.push(this.endRecord());
    }
    return records;
  }

  /**
   * Ends the text: the last record if no line break closed it.
   *
   * @throws InputFileError for a quoted field that is never closed
   */
  end(): CsvRecord[] {
    if (this.state === "quoted") {
      throw new InputFileError(this.file, `line ${this.recordLine}: a quoted field is never closed`);
    }
    return this.atRecordStart ? [] : [this.endRecord()];
  }

  private append(text: string, start: number, end: number): void {
    this.recordChars += end - start;
    if (this.recordChars > this.maxRecordChars) {
      throw new InputFileError(
        this.file,
        `line ${this.recordLine}: a record of more than ${this.maxRecordChars} characters (an unclosed quote?)`,
      );
    }
    this.field += text.slice(start, end);
  }

  /** Counts the line breaks inside a quoted field, so records after it carry their true line. */
  private countLineBreaks(text: string, start: number, end: number): void {
    for (let pos = start; pos < end; pos++) {
      const c = text.charCodeAt(pos);
      if (c === CR || (c === LF && !this.afterCr)) this.line++;
      this.afterCr = c === CR;
    }
  }

  private endField(): void {
    this.fields.push(this.field);
    this.field = "";
    this.state = "fieldStart";
  }

  private endRecord(): CsvRecord {
    this.endField();
    const record: CsvRecord = { line: this.recordLine, fields: this.fields };
    if (this.problem) record.problem = this.problem;
    this.fields = [];
    this.recordChars = 0;
    this.problem = undefined;
    this.atRecordStart = true;
    this.recordLine = this.line;
    return record;
  }
}
