/**
 * The browser's /api/v1 client (src/features/collection/api.ts) against a real `richhf serve`
 * in this process (SQLite in a temp folder): each endpoint's answer validated, each failure
 * classified (offline, server, auth, refused, invalid) with the server's own message, and the
 * live progress stream read through fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { annotationFileSchema, type RatingRecord } from '../../src/core/formats/index.ts';
import type { Progress } from '../../src/core/formats/apiLead.ts';
import * as api from '../../src/features/collection/api.ts';
import { isServerComparison } from '../../src/core/formats/api.ts';
import * as leadApi from '../../src/features/dashboard/leadApi.ts';
import { DATABASES, invite, LEAD, recordFor, startTestServer, uuid, writePack, type TestServer } from './server/support.ts';

let server: TestServer | undefined;
let drop: (() => Promise<void>) | undefined;
let other: Server | undefined;

afterEach(async () => {
  await server?.close();
  await drop?.();
  other?.close();
  server = drop = other = undefined;
});

async function start(items = 4, k = 2, withImages = 0) {
  const { file } = writePack(items, { k, withImages });
  const db = await DATABASES[0]!.create();
  drop = db.drop;
  server = await startTestServer({ packFile: file, db: db.url, leaseMs: 60_000 });
  const lead: api.Connection = { token: LEAD, base: server.url };
  return { s: server, lead };
}

async function annotator(s: TestServer, id: string): Promise<api.Connection> {
  return { token: (await invite(s.url, [id])).get(id)!, base: s.url };
}

const rec = (itemId: string, over: Record<string, unknown> = {}) => recordFor(itemId, over) as RatingRecord;

/** The ApiError a call rejects with. */
async function failure(p: Promise<unknown>): Promise<api.ApiError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(api.ApiError);
  return e as api.ApiError;
}

describe('the client against a real server', () => {
  test('me: who a token is; unknown and revoked tokens are "auth" failures with the server\'s message', async () => {
    const { s, lead } = await start();
    const alice = await annotator(s, 'alice');
    expect(await api.me(alice)).toEqual({ role: 'annotator', annotator: 'alice', pack: { name: 'test', annotatorsPerItem: 2, items: 4 }, submitted: 0 });
    expect(await api.me(lead)).toEqual({ role: 'lead', pack: { name: 'test', annotatorsPerItem: 2, items: 4 } });

    const unknown = await failure(api.me({ token: 'no-such-token', base: s.url }));
    expect([unknown.kind, unknown.status, unknown.retryable]).toEqual(['auth', 401, false]);
    expect(unknown.message).toBe('this token is not known to this server: ask the project lead for a new invite link');

    await leadApi.revoke(lead, 'alice');
    const revoked = await failure(api.me(alice));
    expect([revoked.kind, revoked.message]).toEqual(['auth', 'this invite was revoked by the project lead; ask them if you should still be working']);
  });

  test('next: an item with a loadable image URL; exclude gives another; nothing left is "none"', async () => {
    const { s } = await start(3, 1, 3);
    const alice = await annotator(s, 'alice');
    const bob = await annotator(s, 'bob');
    const first = await api.next(alice, []);
    expect(first).toMatchObject({ kind: 'item', item: { id: '0001', prompt: 'a red cat on a blue sofa', width: 64, height: 48 } });
    if (first.kind !== 'item' || isServerComparison(first.item)) throw new Error('unreachable');
    expect((await fetch(s.url + first.item.image)).status).toBe(200);
    expect(await api.next(alice, [])).toEqual(first);
    const second = await api.next(alice, ['0001']);
    expect(second).toMatchObject({ kind: 'item', item: { id: '0002' } });
    expect(await api.next(alice, ['0001', '0002'])).toMatchObject({ kind: 'item', item: { id: '0003' } });
    // K = 1 and alice holds all three: bob gets nothing for now, and is told when to look again.
    expect(await api.next(bob, [])).toEqual({ kind: 'none', retryAfterMs: 60_000 });
  });

  test('submit: 200 once durable, the same clientId again is a no-op; 409 and 400 are "refused" with the located message', async () => {
    const { s, lead } = await start();
    const alice = await annotator(s, 'alice');
    await api.next(alice, []);
    const clientId = uuid();
    const record = rec('0001');
    await api.submit(alice, clientId, record);
    await api.submit(alice, clientId, record);
    expect((await leadApi.progress(lead)).submissions).toBe(1);
    expect((await api.mySubmissions(alice)).submissions).toEqual([{ item: expect.objectContaining({ id: '0001' }), record }]);

    const notMine = await failure(api.submit(alice, uuid(), rec('0003')));
    expect([notMine.kind, notMine.status, notMine.retryable]).toEqual(['refused', 409, false]);
    expect(notMine.message).toBe('itemId: item "0003" was never assigned to you; ask for items with GET /api/v1/next');
    const bad = await failure(api.submit(alice, uuid(), rec('0001', { misalignedTokens: [99] })));
    expect([bad.kind, bad.status]).toEqual(['refused', 400]);
    expect(bad.message).toContain('misalignedTokens[0]');
    expect((await leadApi.progress(lead)).submissions).toBe(1);
  });

  test('lead: invites, the pack with image URLs, an annotator file and the dataset download', async () => {
    const { s, lead } = await start(2, 1, 2);
    const [inv] = await leadApi.invite(lead, ['carol']);
    expect(inv).toEqual({ annotator: 'carol', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), url: `${s.url}/?invite=${inv!.token}` });
    const carol: api.Connection = { token: inv!.token, base: s.url };
    await api.next(carol, []);
    await api.submit(carol, uuid(), rec('0001'));

    const { pack, imageUrls } = await leadApi.pack(lead);
    expect(pack.items.map((i) => i.id)).toEqual(['0001', '0002']);
    expect((await fetch(s.url + imageUrls['0002']!)).status).toBe(200);

    const file = annotationFileSchema.parse(JSON.parse(await (await leadApi.download(lead, { annotator: 'carol' })).text()));
    expect(file.annotations.map((r) => r.itemId)).toEqual(['0001']);
    const dataset = JSON.parse(await (await leadApi.download(lead, 'dataset')).text()) as { format: string; items: { id: string }[] };
    expect([dataset.format, dataset.items.map((i) => i.id)]).toEqual(['richhf-dataset', ['0001']]);
    // An annotator token is not the lead's.
    const refused = await failure(leadApi.progress(carol));
    expect([refused.kind, refused.status]).toEqual(['refused', 403]);
  });

  test('the progress stream: the current progress at once, then each change', async () => {
    const { s, lead } = await start(4, 2);
    const alice = await annotator(s, 'alice');
    const seen: Progress[] = [];
    const abort = new AbortController();
    let wake: () => void = () => {};
    const streaming = leadApi
      .progressStream(
        lead,
        (p) => {
          seen.push(p);
          wake();
        },
        abort.signal,
      )
      .catch((e: unknown) => (abort.signal.aborted ? undefined : Promise.reject(e)));
    const until = (pred: () => boolean) =>
      new Promise<void>((resolve) => {
        wake = () => pred() && resolve();
        wake();
      });
    await until(() => seen.length >= 1);
    expect(seen[0]).toMatchObject({ items: 4, submissions: 0, annotators: [{ id: 'alice', submitted: 0 }] });
    await api.next(alice, []);
    await api.submit(alice, uuid(), rec('0001'));
    await until(() => seen.at(-1)!.submissions === 1);
    expect(seen.at(-1)!.annotators[0]).toMatchObject({ id: 'alice', submitted: 1, leased: 0, medianActiveMs: 12_000, revoked: false });
    abort.abort();
    await streaming;
  });
});

describe('failures without a richhf server', () => {
  test('a stopped server is "offline" and worth retrying', async () => {
    const { s } = await start();
    const alice = await annotator(s, 'alice');
    await s.close();
    server = undefined;
    const e = await failure(api.next(alice, []));
    expect([e.kind, e.retryable, e.message]).toEqual(['offline', true, 'the server cannot be reached (offline, or the server is stopped)']);
  });

  async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
    other = createServer(handler);
    await new Promise<void>((resolve) => other!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  }

  test('a proxy\'s 502 page is "server" (retry); a page that is not JSON is "invalid"; a wrong shape names the field', async () => {
    let reply = (res: import('node:http').ServerResponse) => res.writeHead(502, 'Bad Gateway', { 'Content-Type': 'text/html' }).end('<h1>502</h1>');
    const base = await serve((_req, res) => reply(res));
    const conn = { token: 't', base };
    const gateway = await failure(api.me(conn));
    expect([gateway.kind, gateway.retryable, gateway.message]).toEqual(['server', true, 'GET /me: HTTP 502 Bad Gateway']);

    reply = (res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>not an API</title>');
    const html = await failure(api.me(conn));
    expect([html.kind, html.message]).toEqual(['invalid', 'the server answered something that is not JSON (is this a richhf server?)']);

    reply = (res) =>
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ item: { id: '', image: 'javascript:alert(1)', prompt: 'p', width: 1, height: 1 }, leaseExpiresAt: 'soon' }));
    const shape = await failure(api.next(conn, []));
    expect(shape.kind).toBe('invalid');
    expect(shape.message).toContain('GET /next: item.id: must not be empty');
    expect(shape.message).toContain('item.image: must be an http(s) URL or a path under /api/v1/images/');
  });

  test('no answer within the time-out is "offline"', async () => {
    // The server never answers, so the outcome does not depend on the machine's speed.
    const base = await serve(() => undefined);
    const e = await failure(api.me({ token: 't', base, timeoutMs: 200 }));
    expect([e.kind, e.message]).toEqual(['offline', 'the server did not answer within 0.2 s']);
  });
});

describe('readEvents', () => {
  const stream = (chunks: string[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(new TextEncoder().encode(ch));
        c.close();
      },
    });

  test('events split anywhere across chunks, CRLF line ends, comments and multi-line data', async () => {
    const events: [string, string][] = [];
    await leadApi.readEvents(stream([': keepalive\r', '\n\r\nevent: progress\r\ndata: {"a":', '1}\r', '\n\r', '\ndata: one\ndata: two\n\nevent: x\n\n']), (e, d) =>
      events.push([e, d]),
    );
    expect(events).toEqual([
      ['progress', '{"a":1}'],
      ['message', 'one\ntwo'],
    ]);
  });

  test('a CRLF cut between its CR and its LF is one line end, not two', async () => {
    const events: string[] = [];
    await leadApi.readEvents(stream(['data: a\r', '\ndata: b\r\n\r\n']), (_e, d) => events.push(d));
    expect(events).toEqual(['a\nb']);
  });
});
