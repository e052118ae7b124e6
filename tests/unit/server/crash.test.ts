import { afterAll, describe, expect, it } from 'vitest';
import { runAnnotator, type Ack } from '../../../scripts/annotatorLoad.ts';
import { client, DATABASES, invite, LEAD, writePack } from './support.ts';
import { startServe, stopServe, type ServeProcess } from './serveProcess.ts';

/**
 * Faults, with real `richhf serve` processes: the 30-annotator load on 300 items (K = 3) is
 * cut by `kill -9` of the server; after a restart every submission that got a 200 is there,
 * and the load finishes. A third of the annotators never come back, so it can finish only if
 * their expired leases (a 3 s --lease) are re-assigned to the others.
 */
const ITEMS = 300;
const K = 3;
const names = Array.from({ length: 30 }, (_, i) => `annotator-${String(i).padStart(2, '0')}`);
const started: ServeProcess[] = [];
afterAll(() => {
  for (const p of started) p.child.kill('SIGKILL');
});

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`kill -9 mid-load on ${database.kind}`, () => {
    it('every acknowledged submission survives; after a restart the load finishes, expired leases going to others', async () => {
      const { file } = writePack(ITEMS, { k: K });
      const created = await database.create();
      try {
        const args = ['--pack', file, '--db', created.url, '--lease', '3s'];
        const first = await startServe(args);
        started.push(first);
        const tokens = await invite(first.url, names);
        const acks: Ack[] = [];
        const load = Promise.all(names.map((n, i) => runAnnotator({ baseUrl: first.url, annotator: n, token: tokens.get(n)!, seed: i + 1, acks })));
        await new Promise<void>((resolve) => {
          const poll = () => (acks.length >= 150 ? resolve() : setImmediate(poll));
          poll();
        });
        first.child.kill('SIGKILL');
        expect(await first.exited).toBe('SIGKILL');
        const phase1 = await load;
        expect(phase1.every((r) => r.end === 'error')).toBe(true); // each client saw the server go away
        const acked = acks.length;

        const second = await startServe(args);
        started.push(second);
        const lead = client(second.url, LEAD);
        const stored = async () => {
          const all = new Map<string, unknown>();
          for (const n of names) {
            for (const r of (await lead('GET', `/export/annotations?annotator=${n}`)).body.annotations) all.set(`${n}/${r.itemId}`, r);
          }
          return all;
        };
        const afterRestart = await stored();
        for (const a of acks) expect(afterRestart.get(`${a.annotator}/${a.itemId}`)).toEqual(a.record);

        // Two thirds come back and finish; the rest leave leases behind that must expire.
        const back = names.slice(0, 20);
        const phase2 = await Promise.all(
          back.map((n, i) => runAnnotator({ baseUrl: second.url, annotator: n, token: tokens.get(n)!, seed: 100 + i, acks, pollWhileLeasedMs: 100 })),
        );
        for (const r of phase2) expect(r.end, String(r.error)).toBe('done');
        expect(acks.length).toBeGreaterThan(acked);

        const final = await stored();
        for (const a of acks) expect(final.get(`${a.annotator}/${a.itemId}`)).toEqual(a.record);
        const perItem = new Map<string, Set<string>>();
        for (const key of final.keys()) {
          const [who, item] = key.split('/') as [string, string];
          if (!perItem.has(item)) perItem.set(item, new Set());
          perItem.get(item)!.add(who);
        }
        expect(perItem.size).toBe(ITEMS);
        for (const who of perItem.values()) expect(who.size).toBeGreaterThanOrEqual(K); // K + 1 only after a late submission
        expect((await lead('GET', '/progress')).body).toMatchObject({ items: ITEMS, completeItems: ITEMS });
        expect(await stopServe(second)).toBe(0);
      } finally {
        await created.drop();
      }
    }, 180_000);
  });
}
