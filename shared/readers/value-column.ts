import { type Column, MISSING_CODE } from "#shared/drift/dataset";
import { GrowableFloat64, GrowableInt32 } from "./growable-array.ts";

/**
 * One column built from already-typed values (a JSON line's numbers, strings and booleans): numeric
 * while every value is a number, categorical from the first string on, when the numbers read so far
 * become their decimal text.
 */
export class ValueColumnBuilder {
  private numbers: GrowableFloat64 | null;
  private codes: GrowableInt32 | null;
  private readonly dictionary: string[] = [];
  private readonly codeOf = new Map<string, number>();

  /**
   * @param categorical true to keep every value as a category from the start (`--categorical`)
   * @param missingRows rows read before the column first appeared, which are missing in it
   */
  constructor(categorical: boolean, missingRows: number) {
    this.numbers = categorical ? null : new GrowableFloat64();
    this.codes = categorical ? new GrowableInt32() : null;
    for (let row = 0; row < missingRows; row++) this.pushMissing();
  }

  get length(): number {
    return (this.numbers ?? (this.codes as GrowableInt32)).length;
  }

  pushNumber(value: number): void {
    if (this.numbers) this.numbers.push(value);
    else this.pushText(String(value));
  }

  pushText(value: string): void {
    if (this.numbers) this.turnCategorical(this.numbers);
    const codes = this.codes as GrowableInt32;
    codes.push(this.code(value));
  }

  pushMissing(): void {
    if (this.numbers) this.numbers.push(Number.NaN);
    else (this.codes as GrowableInt32).push(MISSING_CODE);
  }

  finish(): Column {
    if (this.numbers) return { kind: "numeric", values: this.numbers.finish() };
    return {
      kind: "categorical",
      codes: (this.codes as GrowableInt32).finish(),
      dictionary: this.dictionary,
    };
  }

  private turnCategorical(numbers: GrowableFloat64): void {
    const values = numbers.finish();
    const codes = new GrowableInt32(values.length * 2);
    for (const value of values) codes.push(Number.isNaN(value) ? MISSING_CODE : this.code(String(value)));
    this.numbers = null;
    this.codes = codes;
  }

  private code(value: string): number {
    let code = this.codeOf.get(value);
    if (code === undefined) {
      code = this.dictionary.length;
      this.dictionary.push(value);
      this.codeOf.set(value, code);
    }
    return code;
  }
}
