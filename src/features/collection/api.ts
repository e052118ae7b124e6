/**
 * The browser's side of the collection server's `/api/v1` (README "Collection server"): one
 * function per endpoint, each answer validated where it enters with the core schemas
 * (core/formats/api.ts). Every failure is an ApiError whose `kind` tells the caller what to do:
 * - 'offline': no answer (no network, server stopped, timed out) — try again later;
 * - 'server': 5xx, 408 or 429 — try again later;
 * - 'auth': 401, the token is unknown, revoked or replaced — the server's message says which;
 * - 'refused': any other 4xx — this request will not succeed as it is; the server's message says why;
 * - 'invalid': an answer this app does not understand (another server, a proxy's page).
 */
import type * as zc from 'zod/v4/core';
import {
  acceptedSchema,
  API_PATH,
  errorAnswerSchema,
  invitesSchema,
  meSchema,
  mySubmissionsSchema,
  nextSchema,
  packAnswerSchema,
  progressSchema,
  revokedSchema,
  type Invite,
  type Me,
  type MySubmissions,
  type NextItem,
  type PackAnswer,
  type Progress,
} from '../../core/formats/api.ts';
import { formatLocatedError, parseValue, type AnnotationRecord } from '../../core/formats/index.ts';

export type ApiErrorKind = 'offline' | 'server' | 'auth' | 'refused' | 'invalid';

export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }

  /** Worth sending again later, as it is. */
  get retryable(): boolean {
    return this.kind === 'offline' || this.kind === 'server';
  }
}

/** Milliseconds before a request without an answer counts as offline. */
export const TIMEOUT_MS = { short: 15_000, export: 300_000 } as const;

/** `GET /next`: an item, or nothing left now (`retryAfterMs` when others hold items that may come back). */
export type NextAnswer = ({ readonly kind: 'item' } & NextItem) | { readonly kind: 'none'; readonly retryAfterMs: number | null };

/**
 * Who calls which server. Each endpoint below is a function of a Connection (not a method of
 * one object), so the annotator page's bundle carries only the endpoints it calls and the
 * lead's stay in the review chunk.
 */
export interface Connection {
  readonly token: string;
  /** Origin of the server; '' for the page's own. */
  readonly base?: string;
  /** Called after every answer below 500: the server is up (a waiting outbox may try again). */
  readonly onAnswer?: () => void;
  /** Milliseconds without an answer before a call counts as offline (default TIMEOUT_MS.short). */
  readonly timeoutMs?: number;
}

interface CallOptions {
  readonly body?: unknown;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

async function send(c: Connection, method: string, path: string, { body, timeoutMs = c.timeoutMs ?? TIMEOUT_MS.short, signal }: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${c.token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const timeout = AbortSignal.timeout(timeoutMs);
  let res: Response;
  try {
    res = await fetch((c.base ?? '') + API_PATH + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('offline', timeout.aborted ? `the server did not answer within ${timeoutMs / 1000} s` : 'the server cannot be reached (offline, or the server is stopped)');
  }
  if (res.status < 500) c.onAnswer?.();
  if (!res.ok) throw await failure(method, path, res);
  return res;
}

async function json<T>(c: Connection, method: string, path: string, schema: zc.$ZodType<T>, options?: CallOptions): Promise<T> {
  return parse(method, path, await readJson(await send(c, method, path, options)), schema);
}

export const me = (c: Connection): Promise<Me> => json(c, 'GET', '/me', meSchema);

export async function next(c: Connection, exclude: readonly string[]): Promise<NextAnswer> {
  // Ids are percent-encoded one by one, so a comma inside an id is %2C and not a separator.
  const query = exclude.length ? `?exclude=${exclude.map(encodeURIComponent).join(',')}` : '';
  const res = await send(c, 'GET', `/next${query}`);
  if (res.status === 204) {
    const after = Number(res.headers.get('Retry-After'));
    return { kind: 'none', retryAfterMs: after > 0 ? after * 1000 : null };
  }
  return { kind: 'item', ...parse('GET', '/next', await readJson(res), nextSchema) };
}

/** Resolves only on the server's 200, sent after the record is durably committed. */
export async function submit(c: Connection, clientId: string, record: AnnotationRecord): Promise<void> {
  await json(c, 'POST', '/submissions', acceptedSchema, { body: { ...record, clientId } });
}

export const mySubmissions = (c: Connection): Promise<MySubmissions> => json(c, 'GET', '/submissions', mySubmissionsSchema);

export const progress = (c: Connection): Promise<Progress> => json(c, 'GET', '/progress', progressSchema);

export const pack = (c: Connection): Promise<PackAnswer> => json(c, 'GET', '/pack', packAnswerSchema);

export async function invite(c: Connection, annotators: readonly string[]): Promise<Invite[]> {
  return (await json(c, 'POST', '/invites', invitesSchema, { body: { annotators } })).invites;
}

export async function revoke(c: Connection, annotator: string): Promise<void> {
  await json(c, 'DELETE', `/invites/${encodeURIComponent(annotator)}`, revokedSchema);
}

/** A lead's download: an annotator's `richhf-annotations` file, or the dataset the server builds. */
export async function download(c: Connection, what: { annotator: string } | 'dataset', signal?: AbortSignal): Promise<Blob> {
  const path = what === 'dataset' ? '/export/dataset' : `/export/annotations?annotator=${encodeURIComponent(what.annotator)}`;
  const res = await send(c, 'GET', path, { timeoutMs: TIMEOUT_MS.export, signal });
  try {
    return await res.blob();
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('offline', `the download of ${path} was cut off`);
  }
}

/**
 * Calls `onProgress` with each event of the live progress stream until the stream ends
 * (resolves) or fails (rejects). EventSource cannot send the Authorization header, so the
 * stream is read with fetch.
 */
export async function progressStream(c: Connection, onProgress: (p: Progress) => void, signal: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${c.base ?? ''}${API_PATH}/progress/stream`, { headers: { Authorization: `Bearer ${c.token}`, Accept: 'text/event-stream' }, cache: 'no-store', signal });
  } catch (e) {
    if (signal.aborted) throw e;
    throw new ApiError('offline', 'the server cannot be reached (offline, or the server is stopped)');
  }
  if (res.status < 500) c.onAnswer?.();
  if (!res.ok) throw await failure('GET', '/progress/stream', res);
  if (!res.body) throw new ApiError('invalid', 'GET /progress/stream: the answer has no body');
  await readEvents(res.body, (event, data) => {
    if (event === 'progress') onProgress(parse('GET', '/progress/stream', parseJson(data), progressSchema));
  });
}

async function failure(method: string, path: string, res: Response): Promise<ApiError> {
  const kind: ApiErrorKind = res.status === 401 ? 'auth' : res.status >= 500 || res.status === 408 || res.status === 429 ? 'server' : 'refused';
  let message = `${method} ${path}: HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  try {
    const parsed = errorAnswerSchema.safeParse(await res.json());
    if (parsed.success) message = parsed.data.error.message;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return new ApiError(kind, message, res.status);
}

async function readJson(res: Response): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new ApiError('offline', 'the answer was cut off');
  }
  return parseJson(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid', 'the server answered something that is not JSON (is this a richhf server?)');
  }
}

function parse<T>(method: string, path: string, value: unknown, schema: zc.$ZodType<T>): T {
  const r = parseValue(`${method} ${path}`, value, schema);
  if (r.ok) return r.value;
  throw new ApiError('invalid', `the server's answer is not understood: ${r.errors.slice(0, 3).map(formatLocatedError).join('; ')}`);
}

/**
 * Server-Sent Events from a byte stream: calls `onEvent(event, data)` for each event (data lines
 * joined with newlines, `message` when no event name), until the stream ends. A cut connection
 * rejects as 'offline'.
 */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: string, data: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  // A CR at the end of a chunk may be the first half of a CRLF: it waits for the next chunk.
  let cr = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw new ApiError('offline', 'the live progress stream was cut off');
    }
    if (chunk.done) return;
    let text = cr + decoder.decode(chunk.value, { stream: true });
    cr = text.endsWith('\r') ? '\r' : '';
    if (cr) text = text.slice(0, -1);
    buffer += text.replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) onEvent(event, data.join('\n'));
    }
  }
}
