import type * as zc from 'zod/v4/core';

/**
 * `["items", 12, "prompt"]` -> `items[12].prompt`. Keys that are not plain names (empty,
 * spaces, dots: annotator ids used as keys, say) are quoted: `points["bob smith"][0]`.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$-]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** Short, uniform messages: a missing field says "required", the rest keep zod's words. */
export const errorMap: zc.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return undefined;
};
