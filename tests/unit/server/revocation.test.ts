import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { revokeAnnotator } from '../../../src/server/db/tokens.ts';
import { client, DATABASES, invite, LEAD, recordFor, startTestServer, uuid, writePack, type TestServer } from './support.ts';

/**
 * A revocation this server's token cache has not seen: on PostgreSQL made by a second server on
 * the same database (as behind a load balancer); on SQLite, where one server owns the file,
 * written to the database beside this server's auth service. Either way the annotator's token
 * is still cached here, and the very next claim or submission must be refused: the standing is
 * checked inside their own transaction.
 */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`revocation the cache has not seen, on ${database.kind}`, () => {
    const servers: TestServer[] = [];
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      for (const s of servers.splice(0).reverse()) await s.close();
      await drop?.();
      drop = undefined;
    });

    it('no new lease and no submission taken after the revoke; the leases they held go to others', async () => {
      const { file } = writePack(3, { k: 1 });
      const created = await database.create();
      drop = created.drop;
      const a = await startTestServer({ packFile: file, db: created.url });
      servers.push(a);
      const tokens = await invite(a.url, ['alice', 'bob']);
      const alice = client(a.url, tokens.get('alice'));
      const first = await alice('GET', '/next'); // caches alice's token on this server
      expect(first.status).toBe(200);

      let revokeElsewhere: () => Promise<unknown>;
      if (database.kind === 'postgres') {
        const b = await startTestServer({ packFile: file, db: created.url });
        servers.push(b);
        revokeElsewhere = async () => expect((await client(b.url, LEAD)('DELETE', '/invites/alice')).status).toBe(200);
      } else {
        revokeElsewhere = () => a.db.write((tx) => revokeAnnotator(tx, a.db.dialect, 'alice', Date.now(), 1));
      }
      await revokeElsewhere();
      const leasesBefore = await sql<{ n: number }>`select count(*) as n from assignments where annotator = 'alice'`.execute(a.db.kysely);

      const next = await alice('GET', '/next?exclude=0001');
      expect(next.status).toBe(401);
      expect(next.body.error.message).toContain('revoked');
      const sent = await alice('POST', '/submissions', { ...recordFor(first.body.item.id), clientId: uuid() });
      expect(sent.status).toBe(401);
      const leasesAfter = await sql<{ n: number }>`select count(*) as n from assignments where annotator = 'alice'`.execute(a.db.kysely);
      expect(Number(leasesAfter.rows[0]!.n)).toBe(Number(leasesBefore.rows[0]!.n));
      expect((await client(a.url, LEAD)('GET', '/export/annotations?annotator=alice')).body.annotations).toEqual([]);
      // This server stops trusting the token at once, for reads too.
      expect((await alice('GET', '/me')).status).toBe(401);
      // Her lease was released by the revoke: bob gets her item.
      expect((await client(a.url, tokens.get('bob'))('GET', '/next')).body.item.id).toBe(first.body.item.id);
    });
  });
}
