import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS, serverCsp } from '../../../src/server/http/headers.ts';
import { client, DATABASES, invite, LEAD, recordFor, startTestServer, uuid, writePack, type TestServer } from './support.ts';

/** The /api/v1 contract over real HTTP, on each database (same test code). */
const root = path.resolve(import.meta.dirname, '../../..');

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`API on ${database.kind}`, () => {
    let server: TestServer | undefined;
    let drop: (() => Promise<void>) | undefined;
    let clock = Date.parse('2026-11-26T10:17:00Z');

    async function start(items = 4, k = 3, extra: { withImages?: number; leaseMs?: number } = {}) {
      const { file, dir } = writePack(items, { k, withImages: extra.withImages ?? 0 });
      const created = await database.create();
      drop = created.drop;
      clock = Date.parse('2026-11-26T10:17:00Z');
      server = await startTestServer({ packFile: file, db: created.url, now: () => clock, leaseMs: extra.leaseMs ?? 60_000 });
      return { s: server, lead: client(server.url, LEAD), dir };
    }

    afterEach(async () => {
      await server?.close();
      await drop?.();
      server = undefined;
      drop = undefined;
    });

    it('health needs no token; every answer carries the security headers and the app CSP', async () => {
      const { s } = await start();
      const health = await client(s.url, undefined)('GET', '/health');
      expect(health).toMatchObject({ status: 200, body: { status: 'ok', database: database.kind, pack: 'test' } });
      const notFound = await client(s.url, LEAD)('GET', '/nothing-here');
      expect(notFound.status).toBe(404);
      expect(notFound.body).toEqual({ error: { message: 'no such endpoint: GET /api/v1/nothing-here' } });
      for (const res of [health, notFound, await client(s.url, undefined)('GET', '/me')]) {
        for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(res.headers.get(name)).toBe(value);
        // The pack's images are files in its folder, served here: images only from the server itself (and blob:).
        expect(res.headers.get('Content-Security-Policy')).toBe(serverCsp([]));
        expect(res.headers.get('Content-Security-Policy')).toContain("img-src 'self' blob:;");
      }
      // The header keeps every directive of the app's own <meta> CSP but img-src, which it narrows.
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync(path.join(root, 'index.html'), 'utf8'))![1]!;
      const directives = meta.split(';').map((d) => d.trim());
      expect(directives.filter((d) => d.startsWith('img-src '))).toHaveLength(1);
      for (const directive of directives.filter((d) => !d.startsWith('img-src '))) expect(serverCsp([])).toContain(directive);
    });

    it("a pack with http(s) image URLs: the CSP lets images come from those origins only, beside the server's own", async () => {
      const { file } = writePack(3, { k: 1 });
      const pack = JSON.parse(readFileSync(file, 'utf8')) as { items: { image: string }[] };
      pack.items[0]!.image = 'https://images.example.org/a/0.png';
      pack.items[1]!.image = 'http://cdn.example.com:8081/1.png';
      writeFileSync(file, JSON.stringify(pack));
      const created = await database.create();
      drop = created.drop;
      server = await startTestServer({ packFile: file, db: created.url });
      const health = await client(server.url, undefined)('GET', '/health');
      const csp = health.headers.get('Content-Security-Policy')!;
      expect(csp).toContain("img-src 'self' blob: http://cdn.example.com:8081 https://images.example.org;");
      expect(csp).not.toMatch(/img-src[^;]* https?:[ ;]/);
    });

    it('invites: 201 with tokens and invite URLs; a new invite replaces the old token; /me says who is who', async () => {
      const { s, lead } = await start(4, 2);
      const res = await lead<{ invites: { annotator: string; token: string; url: string }[] }>('POST', '/invites', { annotators: ['alice', 'bob'] });
      expect(res.status).toBe(201);
      expect(res.body.invites.map((i) => i.annotator)).toEqual(['alice', 'bob']);
      for (const i of res.body.invites) {
        expect(i.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(i.url).toBe(`${s.url}/?invite=${i.token}`);
      }
      const alice = res.body.invites[0]!.token;
      expect((await client(s.url, alice)('GET', '/me')).body).toEqual({
        role: 'annotator',
        annotator: 'alice',
        pack: { name: 'test', annotatorsPerItem: 2, items: 4 },
        submitted: 0,
      });
      expect((await lead('GET', '/me')).body).toEqual({ role: 'lead', pack: { name: 'test', annotatorsPerItem: 2, items: 4 } });

      const again = await invite(s.url, ['alice']);
      const old = await client(s.url, alice)('GET', '/me');
      expect(old.status).toBe(401);
      expect(old.body.error.message).toContain('replaced by a newer one');
      expect((await client(s.url, again.get('alice'))('GET', '/me')).status).toBe(200);
    });

    it('401 for a missing, unknown or revoked token (with a message to show); 403 for the wrong role', async () => {
      const { s, lead } = await start();
      const tokens = await invite(s.url, ['alice', 'bob']);
      const none = await client(s.url, undefined)('GET', '/next');
      expect(none.status).toBe(401);
      expect(none.headers.get('WWW-Authenticate')).toContain('Bearer');
      expect(none.body.error.message).toContain('Authorization: Bearer');
      const unknown = await client(s.url, 'not-a-real-token')('GET', '/me');
      expect(unknown).toMatchObject({ status: 401, body: { error: { message: expect.stringContaining('not known to this server') } } });

      const alice = client(s.url, tokens.get('alice'));
      for (const [method, p] of [
        ['POST', '/invites'],
        ['DELETE', '/invites/bob'],
        ['GET', '/progress'],
        ['GET', '/progress/stream'],
        ['GET', '/export/annotations?annotator=bob'],
        ['GET', '/export/dataset'],
        ['GET', '/pack'],
      ] as const) {
        const r = await alice(method, p, method === 'POST' ? { annotators: ['x'] } : undefined);
        expect([p, r.status]).toEqual([p, 403]);
        expect(r.body.error.message).toContain('only the project lead');
      }
      for (const [method, p] of [
        ['GET', '/next'],
        ['GET', '/submissions'],
        ['POST', '/submissions'],
      ] as const) {
        const r = await lead(method, p, method === 'POST' ? { ...recordFor('0001'), clientId: uuid() } : undefined);
        expect([p, r.status]).toEqual([p, 403]);
      }

      // Revoked: their token stops working, their lease goes to others, their work stays.
      expect((await alice('GET', '/next')).status).toBe(200);
      expect((await alice('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
      expect((await alice('GET', '/next')).body.item.id).toBe('0002');
      expect(await lead('DELETE', '/invites/alice')).toMatchObject({ status: 200, body: { annotator: 'alice', revoked: true, releasedLeases: 1 } });
      expect(await lead('DELETE', '/invites/nobody')).toMatchObject({ status: 404, body: { error: { path: 'annotator' } } });
      const revoked = await alice('GET', '/me');
      expect(revoked.status).toBe(401);
      expect(revoked.body.error.message).toContain('revoked');
      const file = await lead('GET', '/export/annotations?annotator=alice');
      expect(file.body.annotations.map((r: { itemId: string }) => r.itemId)).toEqual(['0001']);
      expect((await lead('GET', '/progress')).body.annotators.find((a: { id: string }) => a.id === 'alice')).toMatchObject({ submitted: 1, leased: 0, revoked: true });
    });

    it('next: the same leased item until it is submitted; exclude gives the next; image URLs load, signed and expiring', async () => {
      const { s, dir } = await start(5, 3, { withImages: 2 });
      const alice = client(s.url, (await invite(s.url, ['alice'])).get('alice'));
      const first = await alice('GET', '/next');
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        item: { id: '0001', image: expect.stringMatching(/^\/api\/v1\/images\/0001\?exp=\d+&sig=[A-Za-z0-9_-]{22}$/), prompt: 'a red cat on a blue sofa', width: 64, height: 48 },
        leaseExpiresAt: new Date(clock + 60_000).toISOString(),
      });
      clock += 5_000;
      expect((await alice('GET', '/next')).body).toEqual(first.body);
      const second = await alice('GET', '/next?exclude=0001');
      expect(second.body.item.id).toBe('0002');
      expect((await alice('GET', '/next?exclude=0001,0002')).body.item.id).toBe('0003');
      const tooMany = await alice('GET', '/next?exclude=0001&exclude=0002,0003');
      expect(tooMany).toMatchObject({ status: 409, body: { error: { path: 'exclude', message: expect.stringContaining('at most 3') } } });

      const image = await fetch(s.url + first.body.item.image);
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await image.arrayBuffer()).equals(readFileSync(path.join(dir, 'images/0001.png')))).toBe(true);
      const forged = await fetch(s.url + first.body.item.image.replace('0001?', '0002?'));
      expect(forged.status).toBe(403);
      expect((await forged.json()).error.message).toContain('not valid');
      clock += 3 * 86_400_000;
      const expired = await fetch(s.url + first.body.item.image);
      expect(expired.status).toBe(403);
      expect((await expired.json()).error.message).toContain('expired');
    });

    it('submissions: 200 only once stored; a replayed clientId is a no-op, a reused one with another record 409; revisions (latest submittedAt wins); 409 for items never assigned', async () => {
      const { s, lead } = await start(3, 3);
      const tokens = await invite(s.url, ['alice', 'bob']);
      const alice = client(s.url, tokens.get('alice'));
      const bob = client(s.url, tokens.get('bob'));
      await alice('GET', '/next');
      const id1 = uuid();
      expect(await alice('POST', '/submissions', { ...recordFor('0001'), clientId: id1 })).toMatchObject({ status: 200, body: { accepted: true } });
      expect(await alice('POST', '/submissions', { ...recordFor('0001'), clientId: id1 })).toMatchObject({ status: 200, body: { accepted: true } }); // a replay
      const reused = await alice('POST', '/submissions', { ...recordFor('0001', { activeMs: 1 }), clientId: id1 });
      expect(reused).toMatchObject({ status: 409, body: { error: { path: 'clientId', message: expect.stringContaining('already used for a different record of yours') } } });
      const stored = async () => (await lead('GET', '/export/annotations?annotator=alice')).body.annotations;
      expect((await stored())[0].activeMs).toBe(12_000); // neither the replay nor the reused id changed anything

      const newer = recordFor('0001', { submittedAt: '2026-11-26T11:00:00.000Z', scores: { plausibility: 5, alignment: 5, aesthetics: 5, overall: 5 } });
      expect((await alice('POST', '/submissions', { ...newer, clientId: uuid() })).status).toBe(200);
      const older = recordFor('0001', { submittedAt: '2026-11-26T09:00:00.000Z', activeMs: 7 });
      expect((await alice('POST', '/submissions', { ...older, clientId: uuid() })).status).toBe(200);
      expect(await stored()).toEqual([newer]);

      const notMine = await alice('POST', '/submissions', { ...recordFor('0002'), clientId: uuid() });
      expect(notMine).toMatchObject({ status: 409, body: { error: { path: 'itemId', message: expect.stringContaining('never assigned to you') } } });
      await bob('GET', '/next');
      const stolenId = await bob('POST', '/submissions', { ...recordFor('0001'), clientId: id1 });
      expect(stolenId).toMatchObject({ status: 409, body: { error: { path: 'clientId' } } });
      const unknown = await alice('POST', '/submissions', { ...recordFor('9999'), clientId: uuid() });
      expect(unknown).toMatchObject({ status: 409, body: { error: { path: 'itemId' } } });

      const mine = await alice('GET', '/submissions');
      expect(mine.body).toEqual({
        annotator: 'alice',
        pack: 'test',
        submissions: [{ item: { id: '0001', image: expect.stringContaining('/api/v1/images/0001?'), prompt: 'a red cat on a blue sofa', width: 64, height: 48 }, record: newer }],
      });
      expect((await alice('GET', '/me')).body.submitted).toBe(1);
    });

    it('204 when nothing is left, with Retry-After while others hold leases; a late submission is kept', async () => {
      const { s, lead } = await start(1, 1);
      const tokens = await invite(s.url, ['alice', 'bob']);
      const alice = client(s.url, tokens.get('alice'));
      const bob = client(s.url, tokens.get('bob'));
      expect((await alice('GET', '/next')).status).toBe(200);
      const held = await bob('GET', '/next');
      expect(held.status).toBe(204);
      expect(held.headers.get('Retry-After')).toBe('60');
      clock += 60_000;
      expect((await bob('GET', '/next')).body.item.id).toBe('0001');
      expect((await alice('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200); // late, still accepted
      expect((await bob('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
      const done = await alice('GET', '/next');
      expect([done.status, done.headers.get('Retry-After')]).toEqual([204, null]);
      const progress = await lead('GET', '/progress');
      expect(progress.body).toMatchObject({ items: 1, completeItems: 1, submissions: 2 });
    });

    it('progress: counts, leases, last seen, median active time; the stream sends it at once and after each change', async () => {
      const { s, lead } = await start(4, 2);
      const tokens = await invite(s.url, ['alice', 'bob']);
      const alice = client(s.url, tokens.get('alice'));
      for (const activeMs of [1000, 5000, 3000]) {
        const { body } = await alice('GET', '/next');
        expect((await alice('POST', '/submissions', { ...recordFor(body.item.id, { activeMs }), clientId: uuid() })).status).toBe(200);
      }
      await alice('GET', '/next');
      const p = await lead('GET', '/progress');
      expect(p.body).toEqual({
        items: 4,
        completeItems: 0,
        submissions: 3,
        annotators: [
          { id: 'alice', submitted: 3, leased: 1, lastSeenAt: new Date(clock).toISOString(), medianActiveMs: 3000, revoked: false },
          { id: 'bob', submitted: 0, leased: 0, lastSeenAt: null, medianActiveMs: null, revoked: false },
        ],
      });

      const res = await fetch(`${s.url}/api/v1/progress/stream`, { headers: { Authorization: `Bearer ${LEAD}` } });
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      const events: unknown[] = [];
      let buffer = '';
      const nextEvent = async () => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data && block.includes('event: progress')) return JSON.parse(data.slice(6));
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('stream ended');
          buffer += value;
        }
      };
      events.push(await nextEvent());
      expect(events[0]).toEqual(p.body);
      const bob = client(s.url, tokens.get('bob'));
      const { body } = await bob('GET', '/next');
      await bob('POST', '/submissions', { ...recordFor(body.item.id), clientId: uuid() });
      // Events follow each change; wait for the one that shows bob's submission.
      for (;;) {
        const e = (await nextEvent()) as { submissions: number };
        if (e.submissions === 4) break;
      }
      await reader.cancel();
      // The stream's request is logged like any other, without the token.
      expect(s.logLines.join('\n')).not.toContain(LEAD);
    });

    it('close(): an open progress stream ends; a submission whose header arrived before is finished (its body sent after the stop began); a new connection is refused', async () => {
      const { s } = await start(2, 1);
      const tokens = await invite(s.url, ['alice', 'bob']);
      const res = await fetch(`${s.url}/api/v1/progress/stream`, { headers: { Authorization: `Bearer ${LEAD}` } });
      const reader = res.body!.getReader();
      await reader.read(); // the first event
      const bob = client(s.url, tokens.get('bob'));
      expect((await bob('GET', '/next')).body.item.id).toBe('0001');
      const body = JSON.stringify({ ...recordFor('0001'), clientId: uuid() });

      // The header goes first; when the server has it, the stop begins; then the body follows.
      let closing: Promise<void> | undefined;
      const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request(`${s.url}/api/v1/submissions`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${tokens.get('bob')}`, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
        });
        req.on('response', (r) => {
          let text = '';
          r.on('data', (d: Buffer) => (text += d));
          r.on('end', () => resolve({ status: r.statusCode!, text }));
        });
        req.on('error', reject);
        s.http.once('request', () => {
          closing = s.close();
          req.end(body.slice(40));
        });
        req.write(body.slice(0, 40));
      });
      expect(await answer).toEqual({ status: 200, text: JSON.stringify({ accepted: true }) });
      for (;;) if ((await reader.read()).done) break; // the stream is ended by the server
      await expect(client(s.url, tokens.get('alice'))('GET', '/next')).rejects.toThrow('fetch failed');
      await closing;
      server = undefined;
    });

    it('request log: one JSON line per request, path without query string, never a token', async () => {
      const { s } = await start(2, 1, { withImages: 1 });
      const token = (await invite(s.url, ['alice'])).get('alice')!;
      const alice = client(s.url, token);
      const { body } = await alice('GET', '/next?exclude=0002');
      await fetch(s.url + body.item.image);
      await fetch(`${s.url}/?invite=${token}`);
      const lines = s.logLines.map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
        ['POST', '/api/v1/invites', 201],
        ['GET', '/api/v1/next', 200],
        ['GET', '/api/v1/images/0001', 200],
        ['GET', '/', 404],
      ]);
      expect(lines[1]).toMatchObject({ role: 'annotator', annotator: 'alice', ms: expect.any(Number), time: expect.any(String) });
      const all = s.logLines.join('\n');
      expect(all).not.toContain(token);
      expect(all).not.toContain(LEAD);
      expect(all).not.toContain('sig=');
    });

    it('pack (as loaded, with image URLs) and the annotator file export', async () => {
      const { s, lead } = await start(2, 1);
      const pack = await lead('GET', '/pack');
      expect(pack.headers.get('transfer-encoding')).toBe('chunked'); // sent in pieces, not built whole
      expect(pack.body.pack).toEqual(JSON.parse(readFileSync(s.pack.file, 'utf8')));
      expect(Object.keys(pack.body.imageUrls)).toEqual(['0001', '0002']);
      expect(pack.body.imageUrls['0002']).toMatch(/^\/api\/v1\/images\/0002\?exp=/);
      const alice = client(s.url, (await invite(s.url, ['alice'])).get('alice'));
      await alice('GET', '/next');
      await alice('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() });
      const file = await lead('GET', '/export/annotations?annotator=alice');
      expect(file.headers.get('content-disposition')).toContain('filename="test-alice.json"');
      expect(file.body).toEqual({ format: 'richhf-annotations', version: 1, annotator: 'alice', pack: 'test', annotations: [recordFor('0001')] });
      expect(await lead('GET', '/export/annotations')).toMatchObject({ status: 400, body: { error: { path: 'annotator' } } });
      expect(await lead('GET', '/export/annotations?annotator=zoe')).toMatchObject({ status: 404, body: { error: { path: 'annotator' } } });
    });
  });
}
