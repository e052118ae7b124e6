import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RatingPack } from '../../../src/core/formats/taskpack.ts';
import { qualitySettingsFor } from '../../../src/server/db/qualitySettings.ts';
import { client, DATABASES, invite, LEAD, recordFor, uuid, writePack, serverPerTest } from './support.ts';

/**
 * Serving gold items (issue 17) through the lease rule, over HTTP with annotators working at
 * once, on each database: training first, then one gold item in each run of `goldEvery`, none
 * repeated, none counted toward K, none in the dataset, and nothing the annotator receives
 * before Submit telling gold apart (opaque ids, image URLs of those ids).
 */
const ORDINARY = 30;
const GOLD = 10;
const TRAINING = 2;
const GOLD_EVERY = 5;
const K = 2;

/** 30 ordinary items "0001"… and 10 gold items "gold-01"… after them (a lead's typical gold ids). */
function goldPack(): { file: string; gold: Set<string> } {
  const { file, pack } = writePack(ORDINARY, { k: K });
  const gold = Array.from({ length: GOLD }, (_, i) => ({
    ...pack.items[i % ORDINARY]!,
    id: `gold-${String(i + 1).padStart(2, '0')}`,
    gold: { scores: { plausibility: 3, alignment: 4, aesthetics: 2, overall: 3 }, points: [], explanation: 'a reference' },
  }));
  const withGold: RatingPack = { ...pack, version: 2, quality: { training: TRAINING, goldEvery: GOLD_EVERY }, items: [...pack.items, ...gold] };
  writeFileSync(file, JSON.stringify(withGold));
  return { file, gold: new Set(gold.map((g) => g.id)) };
}

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`gold items on ${database.kind}`, () => {
    const startServerFor = serverPerTest(database);

    it('training first, then one gold item per run of goldEvery, never repeated, never counted, never exported; ids and URLs opaque', async () => {
      const { file, gold } = goldPack();
      const server = await startServerFor(file);
      const s = server;
      expect(await qualitySettingsFor(s.db.kysely, 'anyone')).toEqual({ training: TRAINING, goldEvery: GOLD_EVERY });
      const names = ['a1', 'a2', 'a3', 'a4', 'a5'];
      const tokens = await invite(s.url, names);
      const answers: Record<string, unknown>[] = [];
      const acks = new Map<string, unknown[]>(names.map((n) => [n, []]));
      let clock = Date.parse('2026-12-01T09:00:00Z');

      // Everyone at once, each one item at a time until nothing is left.
      await Promise.all(
        names.map(async (name) => {
          const me = client(s.url, tokens.get(name));
          for (;;) {
            const next = await me('GET', '/next');
            if (next.status === 204) return;
            expect(next.status).toBe(200);
            answers.push(next.body);
            const submittedAt = new Date((clock += 1000)).toISOString();
            const sent = await me('POST', '/submissions', { ...recordFor(next.body.item.id, { submittedAt }), clientId: uuid() });
            expect(sent.status).toBe(200);
            acks.get(name)!.push(sent.body);
          }
        }),
      );

      // Nothing before Submit tells gold apart: one id form, one answer shape, URLs of those ids.
      for (const a of answers) {
        const item = (a as { item: { id: string; image: string } }).item;
        expect(item.id).toMatch(/^i[A-Za-z0-9_-]{22}$/);
        expect(Object.keys(a).sort()).toEqual(['item', 'leaseExpiresAt']);
        expect(Object.keys(item).sort()).toEqual(['height', 'id', 'image', 'prompt', 'width']);
        expect(item.image).toContain(`/api/v1/images/${item.id}?`);
      }

      const lead = client(s.url, LEAD);
      let goldSeen = 0;
      for (const name of names) {
        // The lead's side speaks pack ids; submittedAt gives each annotator's order.
        const file = (await lead('GET', `/export/annotations?annotator=${name}`)).body as { annotations: { itemId: string; submittedAt: string }[] };
        const order = file.annotations.sort((a, b) => a.submittedAt.localeCompare(b.submittedAt)).map((r) => r.itemId);
        const isGold = order.map((id) => gold.has(id));
        expect(isGold.slice(0, TRAINING)).toEqual([true, true]);
        expect(new Set(order).size).toBe(order.length); // never repeated
        // After training, each full run of goldEvery items holds exactly one gold item while gold remains.
        const afterTraining = isGold.slice(TRAINING);
        const goldLeft = GOLD - TRAINING;
        let given = 0;
        for (let run = 0; (run + 1) * GOLD_EVERY <= afterTraining.length; run++) {
          const inRun = afterTraining.slice(run * GOLD_EVERY, (run + 1) * GOLD_EVERY).filter(Boolean).length;
          expect(inRun).toBe(given < goldLeft ? 1 : 0);
          given += inRun;
        }
        goldSeen += isGold.filter(Boolean).length;
      }
      expect(goldSeen).toBeGreaterThan(names.length * TRAINING);
      // The reference travels with the acknowledgement of a training item, and only there.
      const reference = { scores: { plausibility: 3, alignment: 4, aesthetics: 2, overall: 3 }, points: [], explanation: 'a reference' };
      for (const name of names) {
        const mine = acks.get(name)!;
        expect(mine.slice(0, TRAINING)).toEqual([
          { accepted: true, feedback: { reference } },
          { accepted: true, feedback: { reference } },
        ]);
        for (const ack of mine.slice(TRAINING)) expect(ack).toEqual({ accepted: true });
      }

      // Gold is not work to complete and never enters the dataset; every ordinary item has K.
      const progress = (await lead('GET', '/progress')).body;
      expect(progress).toMatchObject({ items: ORDINARY, completeItems: ORDINARY, submissions: ORDINARY * K + goldSeen });
      const dataset = (await lead('GET', '/export/dataset')).body as { items: { id: string; annotators: string[] }[] };
      expect(dataset.items.map((i) => i.id)).toEqual(Array.from({ length: ORDINARY }, (_, i) => String(i + 1).padStart(4, '0')));
      for (const item of dataset.items) expect(new Set(item.annotators).size).toBe(K);
      // The quality report measures gold under pack ids.
      const quality = (await lead('GET', '/quality')).body as { annotators: { id: string; gold: { items: number } }[] };
      expect(quality.annotators.reduce((n, a) => n + a.gold.items, 0)).toBe(goldSeen);
    });

    it('a pack without gold items keeps its own ids', async () => {
      const { file } = writePack(2, { k: 1 });
      const server = await startServerFor(file);
      const tokens = await invite(server.url, ['a1']);
      const next = await client(server.url, tokens.get('a1'))('GET', '/next');
      expect(next.body.item.id).toBe('0001');
      expect(await qualitySettingsFor(server.db.kysely, 'a1')).toEqual({ training: 0, goldEvery: 10 });
    });
  });
}
