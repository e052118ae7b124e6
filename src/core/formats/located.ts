import * as zc from 'zod/v4/core';
import { JsonDocument } from './jsonDocument.ts';
export { errorMap, formatPath } from './issuePath.ts';
export { formatLocatedError } from './problems.ts';
import type { ProblemReport } from './problems.ts';

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

/** A validated value, or a bounded report of what is wrong (see problems.ts). */
export type Parsed<T> = { readonly ok: true; readonly value: T } | ({ readonly ok: false } & ProblemReport);

/** Validate an already-parsed JSON value against a schema (at most the first 50 problems). */
export function parseValue<S extends zc.$ZodType>(file: string, value: unknown, schema: S): Parsed<zc.output<S>> {
  return JsonDocument.fromValue(file, value).validate(schema);
}
