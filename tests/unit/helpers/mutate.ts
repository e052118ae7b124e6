/**
 * Replaces the value at a path of a JSON value (each step picks a key or an index modulo their
 * count; the path ends early at a leaf or an empty container) by `replacement`, without changing
 * the input. For properties that damage one field of a valid document at random.
 */
export function mutate(value: unknown, choices: readonly number[], replacement: unknown): unknown {
  if (choices.length === 0 || value === null || typeof value !== 'object') return replacement;
  const [c, ...rest] = choices;
  if (Array.isArray(value)) {
    if (value.length === 0) return replacement;
    const i = c! % value.length;
    return value.map((v, j) => (j === i ? mutate(v, rest, replacement) : v));
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return replacement;
  const k = keys[c! % keys.length]!;
  return { ...(value as Record<string, unknown>), [k]: mutate((value as Record<string, unknown>)[k], rest, replacement) };
}
