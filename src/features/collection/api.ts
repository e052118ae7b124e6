/**
 * The browser's side of the collection server's `/api/v1` (README "Collection server"): every
 * call goes through `send` here, and every answer is validated where it enters with the core
 * schemas (core/formats/api.ts). The annotator's endpoints are below; the lead's are in
 * dashboard/leadApi.ts, on the same `send` and `json`, so that the annotator's bundle does not
 * carry them. Every failure is an ApiError whose `kind` tells the caller what to do:
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
  isServerComparison,
  meSchema,
  mySubmissionsSchema,
  nextSchema,
  type Accepted,
  type Me,
  type MySubmissions,
  type ServedItem,
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
export type NextAnswer = { readonly kind: 'item'; readonly item: ServedItem; readonly leaseExpiresAt: string } | { readonly kind: 'none'; readonly retryAfterMs: number | null };

/** Who calls which server: each endpoint is a function of a Connection. */
export interface Connection {
  readonly token: string;
  /** Origin of the server; '' for the page's own. */
  readonly base?: string;
  /** Called after every answer below 500: the server is up (a waiting outbox may try again). */
  readonly onAnswer?: () => void;
  /** Milliseconds without an answer before a call counts as offline (default TIMEOUT_MS.short). */
  readonly timeoutMs?: number;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export async function send(c: Connection, method: string, path: string, { body, timeoutMs = c.timeoutMs ?? TIMEOUT_MS.short, signal }: CallOptions = {}): Promise<Response> {
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

export async function json<T>(c: Connection, method: string, path: string, schema: zc.$ZodType<T>, options?: CallOptions): Promise<T> {
  return parse(method, path, await readJson(await send(c, method, path, options)), schema);
}

export const me = (c: Connection): Promise<Me> => json(c, 'GET', '/me', meSchema);

export async function next(c: Connection, exclude: readonly string[], waitS = 0): Promise<NextAnswer> {
  // Ids are percent-encoded one by one, so a comma inside an id is %2C and not a separator.
  const params = [...(exclude.length ? [`exclude=${exclude.map(encodeURIComponent).join(',')}`] : []), ...(waitS > 0 ? [`wait=${waitS}`] : [])];
  const query = params.length ? `?${params.join('&')}` : '';
  // A long poll (`wait`) may be answered only after waitS seconds.
  const res = await send(c, 'GET', `/next${query}`, waitS > 0 ? { timeoutMs: waitS * 1000 + (c.timeoutMs ?? TIMEOUT_MS.short) } : {});
  if (res.status === 204) {
    const after = Number(res.headers.get('Retry-After'));
    return { kind: 'none', retryAfterMs: after > 0 ? after * 1000 : null };
  }
  // A rating item or a comparison item (issue 18, `left` drawn by the server): each opens in its own workspace.
  const answer = parse('GET', '/next', await readJson(res), nextSchema);
  return { kind: 'item', item: answer.item, leaseExpiresAt: answer.leaseExpiresAt };
}

/** Resolves only on the server's 200, sent after the record is durably committed; on a training item the answer carries its reference. */
export function submit(c: Connection, clientId: string, record: AnnotationRecord): Promise<Accepted> {
  return json(c, 'POST', '/submissions', acceptedSchema, { body: { ...record, clientId } });
}

/** One of the annotator's records with its item: a rating record on a rating item, or a comparison record on a comparison item. */
export type HeldSubmission = { item: ServedItem; record: AnnotationRecord };
export type MyRecords = Omit<MySubmissions, 'submissions'> & { submissions: HeldSubmission[] };

/** The annotator's records of both kinds; a record whose kind is not its item's (which a server never sends) is left out. */
export async function mySubmissions(c: Connection): Promise<MyRecords> {
  const all = await json(c, 'GET', '/submissions', mySubmissionsSchema);
  return { ...all, submissions: all.submissions.filter((s) => isServerComparison(s.item) === (s.record.left !== undefined)) };
}

export async function failure(method: string, path: string, res: Response): Promise<ApiError> {
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

export async function readJson(res: Response): Promise<unknown> {
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new ApiError('offline', 'the answer was cut off');
  }
  return parseJson(text);
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('invalid', 'the server answered something that is not JSON (is this a richhf server?)');
  }
}

export function parse<T>(method: string, path: string, value: unknown, schema: zc.$ZodType<T>): T {
  const r = parseValue(`${method} ${path}`, value, schema);
  if (r.ok) return r.value;
  throw new ApiError('invalid', `the server's answer is not understood: ${r.errors.slice(0, 3).map(formatLocatedError).join('; ')}`);
}
