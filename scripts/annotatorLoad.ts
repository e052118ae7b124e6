/**
 * Simulated annotators for the server's tests and benchmarks: plain HTTP clients that do what
 * the browser does (GET /api/v1/next, then POST /api/v1/submissions with a fresh clientId)
 * until the server says nothing is left (204 without Retry-After). Records are random but valid for their item
 * (points inside the image, token indices inside the prompt, scores 1-5), from a seeded
 * generator. No Node imports beyond fetch, so tests and benches share it.
 */
import type { AnnotationRecord } from '../src/core/formats/annotations.ts';
import { tokenize } from '../src/core/text/tokenize.ts';
import { seededRandom } from './largePack.ts';

export interface NextItem {
  readonly id: string;
  readonly image: string;
  readonly prompt: string;
  readonly width: number | null;
  readonly height: number | null;
}

export interface Ack {
  readonly annotator: string;
  readonly itemId: string;
  readonly clientId: string;
  readonly record: AnnotationRecord;
}

/** How a simulated annotator sends a request: fetch by default; benches pass a lighter client. */
export interface HttpResponse {
  readonly status: number;
  readonly retryAfter: boolean;
  readonly text: string;
}
export type HttpCall = (method: 'GET' | 'POST', url: string, token: string, body?: string) => Promise<HttpResponse>;

export const fetchCall: HttpCall = async (method, url, token, body) => {
  const res = await fetch(url, { method, headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) }, body });
  return { status: res.status, retryAfter: res.headers.has('Retry-After'), text: await res.text() };
};

export interface AnnotatorOptions {
  readonly baseUrl: string;
  readonly annotator: string;
  readonly token: string;
  readonly seed: number;
  /** Every submission the server acknowledged with 200, in order. */
  readonly acks: Ack[];
  /**
   * When /next says 204 with Retry-After (items held by others' leases, or rows other claims
   * lock for a moment on PostgreSQL), ask again after this many ms, as the browser does: only
   * a 204 without it is the end. Default 20.
   */
  readonly pollWhileLeasedMs?: number;
  /** Stop (resolve) once this returns true, checked before each request. */
  readonly stop?: () => boolean;
  /** Latency of each call, for benchmarks (milliseconds). */
  readonly onTiming?: (call: 'next' | 'submit', ms: number) => void;
  readonly http?: HttpCall;
  /** Paced mode: start a next + submit cycle every `paceMs` (open loop), first after `phaseMs`; default: back to back. */
  readonly paceMs?: number;
  readonly phaseMs?: number;
  /**
   * As the browser's outbox does: a 503 answer or a failed connection is tried again after this
   * many ms (a submission with the same clientId), instead of ending the run with an error.
   */
  readonly retryUnavailableMs?: number;
  /** Called for each answer or connection failure that is tried again. */
  readonly onRetry?: (call: 'next' | 'submit', why: string) => void;
  /** Checked before each retry: true ends the run with an error (the server is gone for good). */
  readonly giveUp?: () => boolean;
}

export interface AnnotatorResult {
  readonly submitted: number;
  /** Why it stopped: nothing left (204), asked to stop, or an error (e.g. the server went away). */
  readonly end: 'done' | 'stopped' | 'error';
  readonly error?: unknown;
}

export function randomUuid(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16]!, 16) & 3) | 8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function randomRecord(item: NextItem, rand: () => number, submittedAt = new Date().toISOString()): AnnotationRecord {
  const width = item.width ?? 512;
  const height = item.height ?? 512;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const points = (['artifact', 'misalignment'] as const).flatMap((kind) =>
    Array.from({ length: int(0, 4) }, () => ({ kind, x: Math.round(rand() * width * 10) / 10, y: Math.round(rand() * height * 10) / 10 })),
  );
  const tokens = tokenize(item.prompt).length;
  const misalignedTokens = tokens === 0 ? [] : [...new Set(Array.from({ length: int(0, 2) }, () => int(0, tokens - 1)))];
  const s = () => int(1, 5);
  return {
    itemId: item.id,
    imageWidth: width,
    imageHeight: height,
    points,
    misalignedTokens,
    scores: { plausibility: s(), alignment: s(), aesthetics: s(), overall: s() },
    submittedAt,
    activeMs: int(2_000, 90_000),
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runAnnotator(o: AnnotatorOptions): Promise<AnnotatorResult> {
  const rand = seededRandom(o.seed);
  const once = o.http ?? fetchCall;
  const call: HttpCall =
    o.retryUnavailableMs === undefined
      ? once
      : async (method, url, token, body) => {
          const which = method === 'GET' ? 'next' : 'submit';
          for (;;) {
            let why: string;
            try {
              const res = await once(method, url, token, body);
              if (res.status !== 503) return res;
              why = `503 ${res.text}`;
            } catch (e) {
              why = String(e);
            }
            if (o.giveUp?.()) throw new Error(`gave up on ${which}: ${why}`);
            o.onRetry?.(which, why);
            await wait(o.retryUnavailableMs!);
          }
        };
  let submitted = 0;
  let due = performance.now() + (o.phaseMs ?? 0);
  try {
    for (;;) {
      if (o.paceMs !== undefined) {
        // A late cycle starts at once (the server fell behind); the schedule does not slip.
        const ahead = due - performance.now();
        if (ahead > 0) await wait(ahead);
        due += o.paceMs;
      }
      if (o.stop?.()) return { submitted, end: 'stopped' };
      let t0 = performance.now();
      const next = await call('GET', `${o.baseUrl}/api/v1/next`, o.token);
      o.onTiming?.('next', performance.now() - t0);
      if (next.status === 204) {
        if (next.retryAfter) {
          await wait(o.pollWhileLeasedMs ?? 20);
          continue;
        }
        return { submitted, end: 'done' };
      }
      if (next.status !== 200) throw new Error(`GET /next: ${next.status} ${next.text}`);
      const { item } = JSON.parse(next.text) as { item: NextItem };
      const record = randomRecord(item, rand);
      const clientId = randomUuid(rand);
      if (o.stop?.()) return { submitted, end: 'stopped' };
      t0 = performance.now();
      const res = await call('POST', `${o.baseUrl}/api/v1/submissions`, o.token, JSON.stringify({ ...record, clientId }));
      o.onTiming?.('submit', performance.now() - t0);
      if (res.status !== 200) throw new Error(`POST /submissions: ${res.status} ${res.text}`);
      o.acks.push({ annotator: o.annotator, itemId: item.id, clientId, record });
      submitted++;
    }
  } catch (error) {
    return { submitted, end: 'error', error };
  }
}
