import type { FieldError } from "#shared/http/problem";

/**
 * One error per item whose id an earlier item of the same request already has, naming both
 * (`records[4].id` duplicates `records[1]`), so a client can find and fix every clash at once.
 */
export function duplicateIdErrors(ids: ReadonlyArray<string | undefined>, arrayName: string): FieldError[] {
  const firstIndex = new Map<string, number>();
  const errors: FieldError[] = [];
  ids.forEach((id, index) => {
    if (id === undefined) return; // an invalid item, reported on its own
    const earlier = firstIndex.get(id);
    if (earlier === undefined) firstIndex.set(id, index);
    else
      errors.push({
        path: `${arrayName}[${index}].id`,
        message: `duplicates the id of ${arrayName}[${earlier}]`,
      });
  });
  return errors;
}
