import { describe, expect, it } from 'vitest';
import { runAnnotator, type Ack, type HttpCall, type HttpResponse } from '../../scripts/annotatorLoad.ts';

/**
 * The simulated annotators of the server's load tests must end where the browser ends, or a
 * test counts an item short that a real annotator would have labelled (CI, 2026-12-07: 449 of
 * 450 after PostgreSQL restarts). A 204 with Retry-After (items held by others' leases, or rows
 * other claims lock for a moment on PostgreSQL) is not the end: the browser asks again.
 */
const item = { id: 'i1', image: 'i1.png', prompt: 'a red cube', width: 512, height: 512 };

function scripted(answers: HttpResponse[]): { http: HttpCall; calls: string[] } {
  const calls: string[] = [];
  const http: HttpCall = (method, url) => {
    calls.push(`${method} ${new URL(url).pathname}`);
    const next = answers.shift();
    if (!next) throw new Error(`no answer scripted for ${method} ${url}`);
    return Promise.resolve(next);
  };
  return { http, calls };
}

describe('runAnnotator', () => {
  it('asks again after a 204 with Retry-After, and stops at a 204 without it', async () => {
    const { http, calls } = scripted([
      { status: 204, retryAfter: true, text: '' },
      { status: 200, retryAfter: false, text: JSON.stringify({ item }) },
      { status: 200, retryAfter: false, text: '{}' },
      { status: 204, retryAfter: false, text: '' },
    ]);
    const acks: Ack[] = [];
    const result = await runAnnotator({ baseUrl: 'http://server.test', annotator: 'a', token: 't', seed: 1, acks, http, pollWhileLeasedMs: 0 });
    expect(result).toEqual({ submitted: 1, end: 'done' });
    expect(calls).toEqual(['GET /api/v1/next', 'GET /api/v1/next', 'POST /api/v1/submissions', 'GET /api/v1/next']);
    expect(acks.map((a) => a.itemId)).toEqual(['i1']);
  });

  it('asks again by default, as the browser does', async () => {
    const { http, calls } = scripted([
      { status: 204, retryAfter: true, text: '' },
      { status: 204, retryAfter: false, text: '' },
    ]);
    const result = await runAnnotator({ baseUrl: 'http://server.test', annotator: 'a', token: 't', seed: 1, acks: [], http });
    expect(result).toEqual({ submitted: 0, end: 'done' });
    expect(calls).toEqual(['GET /api/v1/next', 'GET /api/v1/next']);
  });
});
