import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Quality } from '../../../src/core/formats/quality.ts';
import { ServedIds } from '../../../src/server/servedIds.ts';
import type { ServedPack } from '../../../src/server/servedPack.ts';
import { answer, crowdMembers, flagOutcome, ISSUE_CROWD, random, simulatedPack, type Member } from '../../helpers/simulatedCrowd.ts';
import { client, DATABASES, invite, LEAD, startTestServer, uuid, type TestServer } from './support.ts';

/**
 * The issue's simulated crowd on the server (issue 17): 300 items, K = 3, 10% gold; 16 careful,
 * 3 random and 2 constant annotators, each an HTTP client answering with the phase-1 simulator
 * (tests/helpers/simulatedCrowd.ts), taking turns with the others. Halfway through, the
 * lead reads GET /quality and rejects every flagged annotator; the others finish the pack. At
 * the end every ordinary item has exactly K accepted, distinct, non-rejected annotators, and the
 * served dataset equals `richhf consolidate` on the accepted annotation files the server exports.
 * The flags' outcome (README) is logged.
 */
const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');
const SEED = 1;
const ORDINARY = ISSUE_CROWD.items * (1 - ISSUE_CROWD.goldShare);

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`the simulated crowd on ${database.kind}`, () => {
    let s: TestServer;
    let drop: () => Promise<void>;
    let packFile: string;
    const { pack, truth } = simulatedPack({ seed: SEED });
    const members = crowdMembers({ seed: SEED });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-crowd-'));

    beforeAll(async () => {
      packFile = path.join(dir, 'pack.json');
      writeFileSync(packFile, JSON.stringify(pack));
      const created = await database.create();
      drop = created.drop;
      // A fixed server secret: gold positions and picks are drawn under it, so every run is the same.
      await run(process.execPath, ['--import', 'tsx', path.join(root, 'tests/helpers/seedSecret.ts'), created.url, '5eed'.repeat(16)]);
      s = await startTestServer({ packFile, db: created.url });
    });
    afterAll(async () => {
      await s?.close();
      await drop?.();
    });

    it('reject the flagged mid-run: every ordinary item ends with K accepted annotators; the dataset equals consolidate on the accepted files', async () => {
      const tokens = await invite(
        s.url,
        members.map((m) => m.id),
      );
      // The crowd knows its truth by pack id; the server speaks served ids (an HMAC under its secret).
      const secret = await sql<{ value: string }>`select value from settings where key = 'image_url_secret'`.execute(s.db.kysely);
      const ids = new ServedIds({ pack, items: new Map(pack.items.map((item) => [item.id, { item }])) } as unknown as ServedPack, Buffer.from(secret.rows[0]!.value, 'hex'));
      const packIdOf = new Map(pack.items.map((i) => [ids.toServed(i.id), i.id]));
      let submitted = 0;
      let clock = Date.parse('2026-12-01T09:00:00Z');

      /** One item: asks, answers, submits; or the answer that ended their work (204: nothing left, 401: rejected). */
      const step = async (m: Member, rng: () => number): Promise<'submitted' | number> => {
        const me = client(s.url, tokens.get(m.id));
        const next = await me('GET', '/next');
        if (next.status === 204 || next.status === 401) return next.status;
        expect(next.status).toBe(200);
        const item = next.body.item as { id: string; prompt: string; width: number; height: number };
        const packId = packIdOf.get(item.id)!;
        const content = answer(m, item, truth.get(packId)!, rng);
        const record = { itemId: item.id, imageWidth: item.width, imageHeight: item.height, ...content, submittedAt: new Date((clock += 1000)).toISOString() };
        const sent = await me('POST', '/submissions', { ...record, clientId: uuid() });
        expect(sent.status).toBe(200);
        submitted++;
        return 'submitted';
      };
      // The crowd takes turns, one item each in a fixed order: every run hands the same items to
      // the same annotators (gold is drawn under the secret fixed above), so the flags' outcome
      // is the same on every machine. Concurrent claims are tested in concurrency.test.ts.
      const rngs = new Map(members.map((m) => [m.id, random(SEED * 1000 + Number(m.id.slice(-2)))]));
      const ends = new Map<string, number>();
      const turns = async (until: () => boolean) => {
        while (!until() && ends.size < members.length) {
          for (const m of members) {
            if (until()) return;
            if (ends.has(m.id)) continue;
            const r = await step(m, rngs.get(m.id)!);
            if (r !== 'submitted') ends.set(m.id, r);
          }
        }
      };

      // First half of the work.
      const half = (ORDINARY * ISSUE_CROWD.annotatorsPerItem) / 2;
      await turns(() => submitted >= half);
      expect(ends.size).toBe(0);
      const lead = client(s.url, LEAD);
      const midRun = (await lead('GET', '/quality')).body as Quality;
      const mid = flagOutcome(midRun, members);
      const flagged = midRun.annotators.filter((a) => a.flags.length > 0);
      for (const a of flagged) {
        const res = await lead('POST', `/annotators/${a.id}/reject`, { reason: a.flags.map((f) => f.message).join('; ') });
        expect(res.body.status).toBe('rejected');
      }
      // The rest, to the end: the rejected are refused at their next request.
      await turns(() => false);
      const rejected = new Set(flagged.map((a) => a.id));
      for (const m of members) expect(ends.get(m.id)).toBe(rejected.has(m.id) ? 401 : 204);

      const final = (await lead('GET', '/quality')).body as Quality;
      const end = flagOutcome(final, members);
      console.log(
        `${database.kind}: mid-run (${half} submissions) flags named ${mid.caught.length} of ${mid.unreliable} unreliable, ${mid.falseFlags.length} careful by mistake; ` +
          `at the end (active annotators measured against each other) ${end.caught.length} of ${end.unreliable}, ${end.falseFlags.length} careful`,
      );
      expect(mid.caught).toHaveLength(5);
      expect(mid.falseFlags.length).toBeLessThanOrEqual(1);

      // Every ordinary item: exactly K accepted, distinct, non-rejected annotators.
      const served = await fetch(`${s.url}/api/v1/export/dataset`, { headers: { Authorization: `Bearer ${LEAD}` } });
      expect(served.status).toBe(200);
      const servedBytes = Buffer.from(await served.arrayBuffer());
      const dataset = JSON.parse(servedBytes.toString('utf8')) as { items: { id: string; annotators: string[] }[] };
      expect(dataset.items).toHaveLength(ORDINARY);
      for (const item of dataset.items) {
        expect(new Set(item.annotators).size).toBe(ISSUE_CROWD.annotatorsPerItem);
        for (const a of item.annotators) expect(rejected.has(a)).toBe(false);
      }
      expect((await lead('GET', '/progress')).body).toMatchObject({ items: ORDINARY, completeItems: ORDINARY });

      // The same bytes as `richhf consolidate` on the accepted annotation files of the accepted annotators.
      const files: string[] = [];
      for (const m of members.filter((x) => !rejected.has(x.id))) {
        const res = await fetch(`${s.url}/api/v1/export/annotations?annotator=${m.id}`, { headers: { Authorization: `Bearer ${LEAD}` } });
        const file = path.join(dir, `${m.id}.json`);
        writeFileSync(file, await res.text());
        files.push(file);
      }
      const out = path.join(dir, `dataset-${database.kind}.json`);
      // Not spawnSync: the server runs in this process.
      await run(process.execPath, [path.join(root, 'bin/richhf.mjs'), 'consolidate', '--pack', packFile, '--out', out, ...files]);
      expect(servedBytes.equals(readFileSync(out))).toBe(true);
    }, 300_000);
  });
}
