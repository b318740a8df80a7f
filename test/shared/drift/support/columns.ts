import type { CategoricalColumn, Column, Dataset, NumericColumn } from "#shared/drift/dataset";

/** A numeric column, null for a missing value. */
export function numeric(values: ReadonlyArray<number | null>): NumericColumn {
  return { kind: "numeric", values: Float64Array.from(values, (value) => value ?? Number.NaN) };
}

/** A categorical column interned as the readers intern it, null for a missing value. */
export function categorical(values: ReadonlyArray<string | null>): CategoricalColumn {
  const dictionary: string[] = [];
  const codes = Int32Array.from(values, (value) => {
    if (value === null) return -1;
    const known = dictionary.indexOf(value);
    return known >= 0 ? known : dictionary.push(value) - 1;
  });
  return { kind: "categorical", codes, dictionary };
}

/** A data set of the given columns, all of one length. */
export function dataset(columns: Record<string, Column>): Dataset {
  const first = Object.values(columns)[0];
  const rows = first === undefined ? 0 : first.kind === "numeric" ? first.values.length : first.codes.length;
  return { rows, columns: new Map(Object.entries(columns)) };
}

/** `count` values drawn from `draw`, for columns too long to write out. */
export function generate(count: number, draw: (i: number) => number): number[] {
  return Array.from({ length: count }, (_, i) => draw(i));
}
