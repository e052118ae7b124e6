import * as zc from 'zod/v4/core';

/**
 * A problem found in an input file, located precisely enough to fix it by hand:
 * `file` is the name the user knows the file by, `path` a JS-style path into the
 * document (`items[12].prompt`, empty for the document itself).
 */
export interface LocatedError {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly LocatedError[] };

/** `file: path: message`, or `file: message` when the problem is the file as a whole. */
export function formatLocatedError(e: LocatedError): string {
  return e.path ? `${e.file}: ${e.path}: ${e.message}` : `${e.file}: ${e.message}`;
}

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
const errorMap: zc.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'required';
  return undefined;
};

export function zodErrors(file: string, error: zc.$ZodError): LocatedError[] {
  return error.issues.map((issue) => ({ file, path: formatPath(issue.path), message: issue.message }));
}

/** Validate an already-parsed JSON value against a schema. */
export function parseValue<S extends zc.$ZodType>(file: string, value: unknown, schema: S): Parsed<zc.output<S>> {
  const result = zc.safeParse(schema, value, { error: errorMap });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: zodErrors(file, result.error) };
}

/** Parse JSON text, locating syntax errors as well as schema errors. */
export function parseJsonText<S extends zc.$ZodType>(file: string, text: string, schema: S): Parsed<zc.output<S>> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [{ file, path: '', message: `invalid JSON: ${(e as Error).message}` }] };
  }
  return parseValue(file, value, schema);
}

/** The `format` field read without trusting anything else, to dispatch a file to its schema. */
export function sniffFormat(value: unknown): { format?: string; version?: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  return { format: typeof v.format === 'string' ? v.format : undefined, version: v.version };
}
