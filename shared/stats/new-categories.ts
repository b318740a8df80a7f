import { type ContingencyTable, countTotal } from "./contingency.ts";
import { NotApplicableError } from "./not-applicable.ts";

export interface NewCategoriesResult {
  /** Categories seen in the current sample but never in the reference, in code point order. */
  values: string[];
  /** Share of the current sample's (non-missing) values that fall in one of those categories. */
  share: number;
}

/**
 * Categories the model never saw in training: `{ c : n_cur(c) > 0 and n_ref(c) = 0 }`, with the share
 * `Σ n_cur(c) / n_cur` of current rows they take. psi and kl only see such a category through the 1e-4
 * floor, so it is reported by name.
 *
 * @throws NotApplicableError when the current sample has no values (the share is undefined)
 * @example
 * newCategories({ categories: ["a", "b", "z"], reference: new Float64Array([5, 5, 0]), current: new Float64Array([4, 4, 2]) });
 * // { values: ["z"], share: 0.2 }
 */
export function newCategories(table: ContingencyTable): NewCategoriesResult {
  const currentTotal = countTotal(table.current);
  if (currentTotal === 0) throw new NotApplicableError("the current sample has no values");
  const values: string[] = [];
  let newRows = 0;
  table.categories.forEach((category, k) => {
    const count = table.current[k] as number;
    if (table.reference[k] === 0 && count > 0) {
      values.push(category);
      newRows += count;
    }
  });
  return { values, share: newRows / currentTotal };
}
