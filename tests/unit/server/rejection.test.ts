import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { writeOldDatabase } from './oldDatabase.ts';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../../src/core/quality/qualityReport.ts';
import { client, DATABASES, invite, LEAD, recordFor, startTestServer, uuid, writePack, type TestServer } from './support.ts';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Rejecting and accepting annotators and single submissions (issue 17) over HTTP, on each
 * database: what counts toward K, what the dataset holds, who gets the item next, what the
 * rejected annotator reads, and the decisions kept.
 */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`reject and accept on ${database.kind}`, () => {
    let server: TestServer | undefined;
    let drop: (() => Promise<void>) | undefined;

    async function start(items: number, k: number) {
      const { file } = writePack(items, { k });
      const created = await database.create();
      drop = created.drop;
      server = await startTestServer({ packFile: file, db: created.url });
      return { s: server, lead: client(server.url, LEAD), file, url: created.url };
    }

    afterEach(async () => {
      await server?.close();
      await drop?.();
      server = undefined;
      drop = undefined;
    });

    const datasetIds = async (lead: ReturnType<typeof client>) => {
      const res = await lead<{ items: { id: string; annotators: string[] }[] }>('GET', '/export/dataset');
      expect(res.status).toBe(200);
      return res.body.items.map((i) => `${i.id}:${[...i.annotators].sort().join('+')}`);
    };

    it('a rejected annotator: refused politely, leases released, submissions out of K and the dataset, items back to others; accept undoes it', async () => {
      const { s, lead } = await start(3, 1);
      const tokens = await invite(s.url, ['alice', 'bob']);
      const alice = client(s.url, tokens.get('alice'));
      const bob = client(s.url, tokens.get('bob'));
      expect((await alice('GET', '/next')).body.item.id).toBe('0001');
      expect((await alice('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
      expect((await alice('GET', '/next')).body.item.id).toBe('0002'); // held by alice, unsubmitted
      expect((await bob('GET', '/next')).body.item.id).toBe('0003');
      expect((await bob('POST', '/submissions', { ...recordFor('0003'), clientId: uuid() })).status).toBe(200);
      expect((await bob('GET', '/next')).status).toBe(204); // 0001 full, 0002 held by alice
      expect(await datasetIds(lead)).toEqual(['0001:alice', '0003:bob']);

      const noReason = await lead('POST', '/annotators/alice/reject', {});
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.path).toBe('reason');
      expect((await lead('POST', '/annotators/nobody/reject', { reason: 'x' })).status).toBe(404);
      expect((await alice('POST', '/annotators/bob/reject', { reason: 'x' })).status).toBe(403);

      const rejected = await lead('POST', '/annotators/alice/reject', { reason: 'random scores on gold items' });
      expect(rejected.status).toBe(200);
      expect(rejected.body).toEqual({ annotator: 'alice', status: 'rejected', changed: true, items: ['0001'], releasedLeases: 1 });
      // A repeated decision changes nothing and is not recorded.
      expect((await lead('POST', '/annotators/alice/reject', { reason: 'again' })).body).toMatchObject({ changed: false, items: [] });

      // Alice is thanked, not told off, wherever she asks.
      for (const res of [await alice('GET', '/next'), await alice('GET', '/me'), await alice('POST', '/submissions', { ...recordFor('0002'), clientId: uuid() })]) {
        expect(res.status).toBe(401);
        expect(res.body.error.message).toMatch(/^Thank you for your work\./);
      }
      // Her items go to bob: the one she submitted (no longer counted) and the one she held.
      expect(await datasetIds(lead)).toEqual(['0003:bob']);
      const got = [];
      for (let i = 0; i < 2; i++) {
        const next = await bob('GET', '/next');
        got.push(next.body.item.id);
        expect((await bob('POST', '/submissions', { ...recordFor(next.body.item.id), clientId: uuid() })).status).toBe(200);
      }
      expect(got.sort()).toEqual(['0001', '0002']);
      expect(await datasetIds(lead)).toEqual(['0001:bob', '0002:bob', '0003:bob']);
      const progress = await lead('GET', '/progress');
      expect(progress.body).toMatchObject({ items: 3, completeItems: 3 });

      // Her file: the accepted submissions (none now); with include=rejected, the evidence.
      expect((await lead('GET', '/export/annotations?annotator=alice')).body.annotations).toEqual([]);
      expect((await lead('GET', '/export/annotations?annotator=alice&include=rejected')).body.annotations.map((a: { itemId: string }) => a.itemId)).toEqual(['0001']);
      expect((await lead('GET', '/export/annotations?annotator=alice&include=everything')).status).toBe(400);
      const quality = await lead('GET', '/quality');
      expect(quality.body.annotators.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
        ['alice', 'rejected'],
        ['bob', 'active'],
      ]);

      // Accept (undo): she may work again and her submission counts again: 0001 now has K + 1.
      const accepted = await lead('POST', '/annotators/alice/accept');
      expect(accepted.body).toEqual({ annotator: 'alice', status: 'active', changed: true, items: ['0001'], releasedLeases: 0 });
      expect(await datasetIds(lead)).toEqual(['0001:alice+bob', '0002:bob', '0003:bob']);
      expect((await alice('GET', '/me')).status).toBe(200);
      expect((await alice('GET', '/next')).status).toBe(204);

      const decisions = await lead('GET', '/quality/decisions');
      expect(decisions.body.decisions.map((d: Record<string, unknown>) => [d.action, d.annotator, d.itemId, d.reason, d.decidedBy])).toEqual([
        ['reject', 'alice', null, 'random scores on gold items', 'lead'],
        ['accept', 'alice', null, null, 'lead'],
      ]);
      for (const d of decisions.body.decisions) expect(Date.parse(d.at)).not.toBeNaN();
    });

    it('one rejected submission: out of K and the dataset, the item goes to someone who never had it (not its annotator); accept undoes it', async () => {
      const { s, lead } = await start(2, 2);
      const tokens = await invite(s.url, ['alice', 'bob', 'carol']);
      const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((a) => client(s.url, tokens.get(a)));
      for (const who of [alice!, bob!]) {
        for (const id of ['0001', '0002']) {
          expect((await who('GET', `/next${id === '0002' ? '?exclude=0001' : ''}`)).body.item.id).toBe(id);
          expect((await who('POST', '/submissions', { ...recordFor(id), clientId: uuid() })).status).toBe(200);
        }
      }
      expect((await carol!('GET', '/next')).status).toBe(204);
      expect((await lead('POST', '/submissions/0001/nobody/reject', { reason: 'x' })).status).toBe(404);
      const rejected = await lead('POST', '/submissions/0001/alice/reject', { reason: 'no points on an obvious artifact' });
      expect(rejected.body).toEqual({ annotator: 'alice', itemId: '0001', status: 'rejected', changed: true, items: ['0001'], releasedLeases: 0 });
      expect(await datasetIds(lead)).toEqual(['0002:alice+bob']);
      // Alice still works (only that submission was rejected) but never gets 0001 again; carol does.
      expect((await alice!('GET', '/next')).status).toBe(204);
      expect((await carol!('GET', '/next')).body.item.id).toBe('0001');
      expect((await carol!('POST', '/submissions', { ...recordFor('0001'), clientId: uuid() })).status).toBe(200);
      expect(await datasetIds(lead)).toEqual(['0001:bob+carol', '0002:alice+bob']);

      // Rejecting alice, then accepting her, leaves her 0001 rejected: that was decided on its own.
      await lead('POST', '/annotators/alice/reject', { reason: 'x' });
      expect((await lead('POST', '/annotators/alice/accept', { reason: 'second look' })).body.items).toEqual(['0002']);
      expect(await datasetIds(lead)).toEqual(['0001:bob+carol', '0002:alice+bob']);
      expect((await lead('POST', '/submissions/0001/alice/accept')).body).toMatchObject({ status: 'active', items: ['0001'] });
      expect(await datasetIds(lead)).toEqual(['0001:alice+bob+carol', '0002:alice+bob']);
      const decisions = (await lead('GET', '/quality/decisions')).body.decisions;
      expect(decisions.map((d: Record<string, unknown>) => `${d.action} ${d.annotator} ${d.itemId}`)).toEqual([
        'reject alice 0001',
        'reject alice null',
        'accept alice null',
        'accept alice 0001',
      ]);
    });

    it('thresholds: checked, persisted across restarts, and used by the flags', async () => {
      const { s, lead, file, url } = await start(2, 1);
      expect((await lead('GET', '/quality/thresholds')).body).toEqual(DEFAULT_QUALITY_THRESHOLDS);
      const bad = await lead('PUT', '/quality/thresholds', { ...DEFAULT_QUALITY_THRESHOLDS, minGoldScore: 2 });
      expect(bad.status).toBe(400);
      expect(bad.body.error.path).toBe('minGoldScore');
      const partial = await lead('PUT', '/quality/thresholds', { minGoldScore: 0.2 });
      expect(partial.status).toBe(400);
      const mine = { ...DEFAULT_QUALITY_THRESHOLDS, minItems: 1, maxSameScores: 0.5 };
      expect((await lead('PUT', '/quality/thresholds', mine)).status).toBe(200);
      const stored = await sql<{ value: string }>`select value from settings where key = 'quality_thresholds'`.execute(s.db.kysely);
      expect(JSON.parse(stored.rows[0]!.value)).toEqual(mine);
      let lead2 = lead;
      if (database.kind === 'postgres') {
        // A restart (SQLite keeps its file lock for this process's life: the row above is what a restart reads).
        await s.close();
        server = await startTestServer({ packFile: file, db: url });
        lead2 = client(server.url, LEAD);
      }
      expect((await lead2('GET', '/quality/thresholds')).body).toEqual(mine);
      // One annotator with the same scores on both items: flagged under minItems 1 (never under the default 10).
      const tokens = await invite(server!.url, ['dan']);
      const dan = client(server!.url, tokens.get('dan'));
      for (let i = 0; i < 2; i++) {
        const next = await dan('GET', '/next');
        await dan('POST', '/submissions', { ...recordFor(next.body.item.id), clientId: uuid() });
      }
      const report = await lead2('GET', '/quality');
      expect(report.body.thresholds).toEqual(mine);
      expect(report.body.annotators[0].flags.map((f: { code: string }) => f.code)).toEqual(['same-scores']);
      expect(report.body.annotators[0].flags[0].message).toContain('the same scores (3, 4, 2, 3) on 2 of 2 items (100%)');
    });

    it("an old database (today's schema before issue 17) migrates, and its work counts as accepted", async () => {
      const { file } = writePack(2, { k: 1 });
      const created = await database.create();
      drop = created.drop;
      if (database.kind === 'sqlite') {
        const run = spawnSync(path.join(root, 'node_modules/.bin/tsx'), [path.join(import.meta.dirname, 'oldDatabase.ts'), created.url], { encoding: 'utf8' });
        expect(run.stderr).toBe('');
        expect(run.status).toBe(0);
      } else {
        await writeOldDatabase(created.url);
      }
      server = await startTestServer({ packFile: file, db: created.url });
      const lead = client(server.url, LEAD);
      expect(await datasetIds(lead)).toEqual(['0001:old']);
      expect((await lead('GET', '/quality')).body.annotators.map((a: { id: string; status: string; submissions: number }) => [a.id, a.status, a.submissions])).toEqual([
        ['old', 'active', 1],
      ]);
      expect((await lead('POST', '/annotators/old/reject', { reason: 'x' })).body.items).toEqual(['0001']);
      expect(await datasetIds(lead)).toEqual([]);
    });
  });
}
