import type { Context } from 'hono';
import * as zc from 'zod/v4/core';
import { formatPath, parseValue, type LocatedError, type Parsed } from '../../core/formats/located.ts';
import { HttpError, errorBody } from './errors.ts';

/**
 * 413 for a body over `limit` bytes. The rest of the body is not read, so the connection is
 * closed after the answer (Connection: close tells the client not to send on it again).
 */
export function tooLarge(c: Context, limit: number): Response {
  return c.json(errorBody(`request body: larger than ${limit} bytes`), 413, { Connection: 'close' });
}

/** Problems listed in one message at most; the rest are counted. */
const MAX_LISTED = 10;

/** One 400 for a list of located problems: the first one's path, every message (bounded) in the text. */
export function badRequest(errors: readonly LocatedError[]): HttpError {
  const lines = errors.slice(0, MAX_LISTED).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  if (errors.length > MAX_LISTED) lines.push(`and ${errors.length - MAX_LISTED} more problems`);
  return new HttpError(400, lines.join('; '), errors[0]?.path || undefined);
}

/** The request body as JSON; malformed JSON is a 400 (the size limit is enforced before, by the bodyLimit middleware). */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `request body: invalid JSON: ${(e as Error).message}`);
  }
}

/** The body validated with a format schema, or a 400 naming the first bad field. */
export async function readBody<S extends zc.$ZodType>(c: Context, schema: S): Promise<zc.output<S>> {
  return validate(await readJson(c), schema);
}

export function validate<S extends zc.$ZodType>(value: unknown, schema: S): zc.output<S> {
  const parsed = check(value, schema);
  if (!parsed.ok) throw badRequest(parsed.errors);
  return parsed.value;
}

/** A value checked with a format schema, every problem located in the request body. */
export function check<S extends zc.$ZodType>(value: unknown, schema: S): Parsed<zc.output<S>> {
  const parsed = parseValue('request body', value, schema);
  return parsed.ok ? parsed : { ok: false, errors: locateUnknownFields(value, schema, parsed.errors) };
}

/**
 * zod reports an unknown field at the object that holds it ("Unrecognized key: …"); a request's
 * error names the field itself, so the browser can point at it: `role: unknown field`.
 */
function locateUnknownFields(value: unknown, schema: zc.$ZodType, errors: readonly LocatedError[]): LocatedError[] {
  const raw = zc.safeParse(schema, value);
  if (raw.success || raw.error.issues.length !== errors.length) return [...errors];
  return raw.error.issues.flatMap((issue, i) =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => ({ file: 'request body', path: formatPath([...issue.path, key]), message: 'unknown field' })) : [errors[i]!],
  );
}
