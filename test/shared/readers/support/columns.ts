import { expect } from "vitest";
import type { Dataset } from "#shared/drift/dataset";

/** A numeric column's values as a plain array (NaN for missing), failing if it is not numeric. */
export function numbers(dataset: Dataset, name: string): number[] {
  const column = dataset.columns.get(name);
  expect(column?.kind, `column ${name}`).toBe("numeric");
  return column?.kind === "numeric" ? [...column.values] : [];
}

/** A categorical column's values as text (null for missing), failing if it is not categorical. */
export function categories(dataset: Dataset, name: string): (string | null)[] {
  const column = dataset.columns.get(name);
  expect(column?.kind, `column ${name}`).toBe("categorical");
  return column?.kind === "categorical"
    ? [...column.codes].map((code) => column.dictionary[code] ?? null)
    : [];
}
