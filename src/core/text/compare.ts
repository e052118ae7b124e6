/**
 * Code-unit order: the order of `<` on strings (UTF-16 code units), not localeCompare. Ids
 * (annotators, items, files) are sorted this way wherever order is part of an output, so the
 * order is the same on every machine and in every locale.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
