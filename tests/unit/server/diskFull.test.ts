import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_PRIVATE_CLUSTER, startPrivateCluster, type PrivateCluster } from './privateCluster.ts';
import { smallDisk, type SmallDisk } from './smallDisk.ts';
import { client, DATABASES, invite, LEAD, recordFor, startTestServer, uuid, writePack, type TestServer } from './support.ts';

/**
 * A full disk, for real: the database on a small tmpfs (SQLite: its file and WAL; PostgreSQL: a
 * cluster of the test's own whose database lives in a tablespace there) that the test fills up
 * and frees again. Submissions are then refused with 503 and a sentence saying why, nothing half
 * stored; /health says the server is degraded; once space is back the same submission is stored
 * without a restart. Where no tmpfs can be mounted (not root), SQLite's page limit
 * (PRAGMA max_page_count) makes the same SQLITE_FULL instead.
 */
const FULL = 'the server cannot store submissions: its disk is full';
const DISK_BYTES = 8 * 1024 * 1024;

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`disk full on ${database.kind}`, () => {
    let server: TestServer | undefined;
    let disk: SmallDisk | undefined;
    let cluster: PrivateCluster | undefined;
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await server?.close();
      await drop?.();
      await cluster?.destroy();
      await disk?.unmount();
      server = undefined;
      drop = undefined;
      cluster = undefined;
      disk = undefined;
    });

    /** Where the database goes, and how to fill and free its disk. */
    async function fullableDatabase(): Promise<{ db: string; fill: () => Promise<void>; free: () => Promise<void> } | { skip: string }> {
      if (database.kind === 'sqlite') {
        const d = await smallDisk(DISK_BYTES);
        if ('dir' in d) {
          disk = d;
          return { db: `${d.dir}/richhf.db`, fill: d.fill, free: d.free };
        }
        // No tmpfs: SQLite's own limit on the database's pages raises the same SQLITE_FULL.
        const created = await database.create();
        drop = created.drop;
        const limit = (pages: string) => async () => void (await sql.raw(`pragma max_page_count = ${pages}`).execute(server!.db.kysely));
        return { db: created.url, fill: limit('1'), free: limit('1073741823') };
      }
      if (NO_PRIVATE_CLUSTER) return { skip: NO_PRIVATE_CLUSTER };
      cluster = await startPrivateCluster();
      // The tablespace's folder must belong to the cluster's user, as the cluster's own folder does.
      const owner = statSync(cluster.dir);
      const d = await smallDisk(DISK_BYTES, { uid: owner.uid, gid: owner.gid });
      if (!('dir' in d)) return { skip: d.unavailable };
      disk = d;
      await cluster.query(`create tablespace small location '${d.dir}'`);
      return { db: await cluster.createDatabase('disk_full', { tablespace: 'small' }), fill: d.fill, free: d.free };
    }

    it('503 with the reason while the disk is full, /health degraded, the same submission stored once space is back', async (t) => {
      const where = await fullableDatabase();
      if ('skip' in where) return t.skip(where.skip);
      const { file } = writePack(4, { k: 1 });
      let clock = Date.parse('2026-11-26T10:00:00Z');
      server = await startTestServer({ packFile: file, db: where.db, now: () => clock });
      const health = client(server.url, undefined);
      const lead = client(server.url, LEAD);
      const alice = client(server.url, (await invite(server.url, ['alice'])).get('alice'));
      expect((await alice('GET', '/next')).body.item.id).toBe('0001');
      expect((await alice('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
      expect((await alice('GET', '/next')).body.item.id).toBe('0002');

      await where.fill();
      // Enough points that the record needs new pages whatever room the last ones have left.
      const points = Array.from({ length: 2000 }, (_, i) => ({ kind: 'artifact', x: (i % 64) + 0.5, y: (i % 48) + 0.25 }));
      const body = { ...recordFor('0002', { points }), clientId: uuid() };
      const refused = await alice('POST', '/submissions', body);
      expect(refused.status).toBe(503);
      expect(refused.body).toEqual({ error: { message: FULL } });
      expect(refused.headers.get('Retry-After')).toBe('10');
      const degraded = await health('GET', '/health');
      expect(degraded).toMatchObject({ status: 503, body: { status: 'degraded', database: database.kind, problem: FULL } });
      expect((await lead('GET', '/export/annotations?annotator=alice')).body.annotations.map((r: { itemId: string }) => r.itemId)).toEqual(['0001']);
      // Degraded is held while writes fail, and for 30 s after the last one (then traffic may test the disk again).
      clock += 29_000;
      expect((await health('GET', '/health')).status).toBe(503);
      clock += 1_000;
      expect((await health('GET', '/health')).status).toBe(200);
      expect((await alice('POST', '/submissions', body)).status).toBe(503);
      expect((await health('GET', '/health')).body.status).toBe('degraded');

      await where.free();
      expect(await alice('POST', '/submissions', body)).toMatchObject({ status: 200, body: { accepted: true } });
      expect((await health('GET', '/health')).status).toBe(200);
      expect((await lead('GET', '/export/annotations?annotator=alice')).body.annotations.map((r: { itemId: string; points: unknown[] }) => [r.itemId, r.points.length])).toEqual([
        ['0001', 1],
        ['0002', 2000],
      ]);
    }, 60_000);
  });
}
