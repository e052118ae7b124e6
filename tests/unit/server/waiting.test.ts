import { describe, expect, it } from 'vitest';
import { client, DATABASES, invite, LEAD, recordFor, uuid, writePack, serverPerTest, type TestServer } from './support.ts';

/**
 * `GET /next?wait=S` (issue 21 item 6): with nothing for the annotator it waits on the server,
 * and answers as soon as an item comes free for them (a revoke, a rejection), or when the first
 * of the others' leases expires, or with 204 after S seconds.
 */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`waiting for work on ${database.kind}`, () => {
    const startServerFor = serverPerTest(database);

    async function start() {
      const { file } = writePack(2, { k: 1 });
      const server = await startServerFor(file);
      const tokens = await invite(server.url, ['alice', 'bob']);
      return { s: server, lead: client(server.url, LEAD), alice: client(server.url, tokens.get('alice')), bob: client(server.url, tokens.get('bob')) };
    }

    /** Resolves once `n` requests wait on the server. */
    const waiters = async (s: TestServer, n: number) => expect.poll(() => s.context.work.waiting).toBe(n);

    it('a waiting /next is answered when a revoke and a rejection free items', async () => {
      const { s, lead, alice, bob } = await start();
      expect((await alice('GET', '/next')).body.item.id).toBe('0001');
      expect((await alice('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
      expect((await alice('GET', '/next')).body.item.id).toBe('0002');

      const first = bob('GET', '/next?wait=30');
      await waiters(s, 1);
      expect((await lead('POST', '/annotators/alice/reject', { reason: 'x' })).status).toBe(200);
      const got = await first;
      expect(got.status).toBe(200);
      // Both of alice's items are free; the first in pack order comes first.
      expect(got.body.item.id).toBe('0001');
      expect(s.context.work.waiting).toBe(0);
    });

    it('a revoke wakes the waiting; with nothing freed, 204 once the wait is over; bad waits are refused', async () => {
      const { s, lead, alice, bob } = await start();
      expect((await alice('GET', '/next')).body.item.id).toBe('0001');
      expect((await alice('GET', '/next?exclude=0001')).body.item.id).toBe('0002');
      const waiting = bob('GET', '/next?wait=30');
      await waiters(s, 1);
      expect((await lead('DELETE', '/invites/alice')).status).toBe(200);
      expect((await waiting).body.item.id).toBe('0001');
      expect((await bob('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
      expect((await bob('GET', '/next')).body.item.id).toBe('0002');
      expect((await bob('POST', '/submissions', { ...recordFor('0002'), clientId: uuid() })).status).toBe(200);
      // Nothing left and nothing can come back: 204 once the wait (1 s) is over, not before.
      const started = Date.now();
      const none = await bob('GET', '/next?wait=1');
      expect(none.status).toBe(204);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(s.context.work.waiting).toBe(0);
      for (const bad of ['31', '-1', '1.5', 'x']) {
        const res = await bob('GET', `/next?wait=${bad}`);
        expect(res.status).toBe(400);
        expect(res.body.error.path).toBe('wait');
      }
    });
  });
}
