import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import * as zc from 'zod/v4/core';
import { formatPath, parseValue, type LocatedError, type Parsed } from '../../core/formats/located.ts';
import { HttpError } from './errors.ts';

/**
 * 413 for a body over `limit` bytes. The rest of the body is not read, so the connection is
 * closed after the answer (Connection: close tells the client not to send on it again).
 */
export function tooLarge(limit: number): HttpError {
  return new HttpError(413, `request body: larger than ${limit} bytes`, undefined, { Connection: 'close' });
}

/** Problems listed in one message at most; the rest are counted. */
const MAX_LISTED = 10;

/** One 400 for a list of located problems: the first one's path, every message (bounded) in the text. */
export function badRequest(errors: readonly LocatedError[]): HttpError {
  const lines = errors.slice(0, MAX_LISTED).map((e) => (e.path ? `${e.path}: ${e.message}` : e.message));
  if (errors.length > MAX_LISTED) lines.push(`and ${errors.length - MAX_LISTED} more problems`);
  return new HttpError(400, lines.join('; '), errors[0]?.path || undefined);
}

/**
 * The request's body, at most `limit` bytes (413 when it says or turns out to be larger), read
 * straight from Node's request stream: reading it through a web stream (a Request object, as
 * hono's body-limit middleware does) cost about a tenth of the server's CPU per submission.
 */
async function readBytes(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = incoming.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge(limit);
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (settle: () => void) => {
      incoming.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      settle();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(() => reject(tooLarge(limit)));
      else chunks.push(chunk);
    };
    const onEnd = () => done(() => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    const onError = (e: Error) => done(() => reject(e));
    const onClose = () => (incoming.readableEnded ? onEnd() : done(() => reject(new Error('the client closed the connection before its request body ended'))));
    incoming.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/** The request body as JSON, at most `limit` bytes; malformed JSON is a 400. */
export async function readJson(c: Context<AppEnv>, limit: number): Promise<unknown> {
  const text = (await readBytes(c.env.incoming, limit)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `request body: invalid JSON: ${(e as Error).message}`);
  }
}

/** The body validated with a format schema, or a 400 naming the first bad field. */
export async function readBody<S extends zc.$ZodType>(c: Context<AppEnv>, limit: number, schema: S): Promise<zc.output<S>> {
  return validate(await readJson(c, limit), schema);
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
