import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deleteDB } from 'idb';
import { leftImage } from '../../src/core/compare/sides.ts';
import type { TaskPack } from '../../src/core/formats/taskpack.ts';
import { closeDb, DB_NAME } from '../../src/storage/db.ts';
import { whenStorageIdle } from '../../src/storage/writeQueue.ts';
import { loadComparisonWork } from '../../src/storage/comparisonWork.ts';
import type { ComparisonRecord } from '../../src/core/formats/comparison.ts';
import {
  answersOf,
  chooseHighlighted,
  closePairs,
  highlight,
  moveOnIfWaiting,
  openPairs,
  openServerPairs,
  panBy,
  showPair,
  submitPair,
  unanswered,
  updateServerPairs,
  usePairStore,
  zoomBy,
} from '../../src/features/compare/pairStore.ts';

/** The pair workspace's rules without a page: sides, answers in the item's terms, the highlight, Submit's order, the shared view. */
const pack: TaskPack = {
  format: 'richhf-taskpack',
  version: 2,
  name: 'pairs-unit',
  annotatorsPerItem: 1,
  items: [
    { id: 'a', kind: 'compare', prompt: 'p1', images: [{ image: 'a0.png' }, { image: 'a1.png' }], criteria: ['plausibility', 'alignment'] },
    { id: 'b', kind: 'compare', prompt: 'p2', images: [{ image: 'b0.png' }, { image: 'b1.png' }] },
    { id: 'c', kind: 'compare', prompt: 'p3', images: [{ image: 'c0.png' }, { image: 'c1.png' }] },
  ],
};
const loaded = { pack, source: 'test', imageUrls: pack.items.map(() => ['x', 'y'] as const) };

beforeEach(async () => {
  await openPairs(loaded, 'ann');
});
afterEach(async () => {
  await whenStorageIdle();
  await closeDb();
  await deleteDB(DB_NAME);
});

describe('pair store', () => {
  test('sides are the core draw; keys answer the highlighted question in the item terms; the highlight moves on', () => {
    const s = usePairStore.getState();
    expect(s.sides).toEqual([0, 1, 2].map((i) => leftImage('pairs-unit', 'ann', i)));
    const left = s.sides[0]!;
    chooseHighlighted(-2); // "Left is much better" on plausibility
    expect(answersOf(usePairStore.getState(), 0)).toEqual({ plausibility: left === 0 ? -2 : 2 });
    expect(usePairStore.getState().highlighted).toBe(1); // alignment, the next without an answer
    expect(unanswered(usePairStore.getState())).toEqual(['alignment']);
    expect(submitPair()).toBe(false); // alignment is missing
    expect(usePairStore.getState().notice?.text).toMatch(/alignment/);
    highlight(1);
    expect(usePairStore.getState().highlighted).toBe(0); // wraps around two questions
    highlight(1);
    chooseHighlighted(0);
    expect(submitPair()).toBe(true);
    const record = usePairStore.getState().submitted.get('a')!;
    expect(record).toMatchObject({ itemId: 'a', left, answers: { plausibility: left === 0 ? -2 : 2, alignment: 0 } });
    expect(usePairStore.getState().index).toBe(1);
  });

  test('Submit goes to the next pair not submitted, wrapping; the last one finishes; work is stored and read back', async () => {
    showPair(2);
    chooseHighlighted(1);
    submitPair();
    expect(usePairStore.getState().index).toBe(0); // wraps to the first not submitted
    chooseHighlighted(2);
    chooseHighlighted(2);
    submitPair();
    expect(usePairStore.getState().index).toBe(1);
    chooseHighlighted(-1);
    submitPair();
    expect(usePairStore.getState().finished).toBe(true);
    await whenStorageIdle();
    const stored = await loadComparisonWork('ann', 'pairs-unit');
    expect(stored.work?.submitted.map((r) => r.itemId).sort()).toEqual(['a', 'b', 'c']);
    await openPairs(loaded, 'ann');
    expect(usePairStore.getState().submitted.size).toBe(3);
    // Another annotator starts afresh.
    await openPairs(loaded, 'bob');
    expect(usePairStore.getState().submitted.size).toBe(0);
  });

  test('one view for both images: zoom within 1-8, the pan kept within the zoomed image; a pair change fits again', () => {
    panBy(0.3, 0.3);
    expect(usePairStore.getState().view).toEqual({ zoom: 1, x: 0, y: 0 }); // nothing to pan at fit size
    zoomBy(2);
    panBy(0.3, -0.9);
    expect(usePairStore.getState().view).toEqual({ zoom: 2, x: 0.3, y: -0.5 });
    zoomBy(100);
    expect(usePairStore.getState().view.zoom).toBe(8);
    zoomBy(0.001);
    expect(usePairStore.getState().view).toEqual({ zoom: 1, x: 0, y: 0 });
    zoomBy(2);
    showPair(1);
    expect(usePairStore.getState().view).toEqual({ zoom: 1, x: 0, y: 0 });
  });
});

describe('pair store on a collection server', () => {
  const earlier: ComparisonRecord = { itemId: 'b', left: 0, answers: { plausibility: 1 }, submittedAt: '2026-12-01T10:00:00.000Z', activeMs: 500 };

  test("the server's sides, Submit into the outbox before the draft leaves the stored work, no finish of its own, a new pair shown to a waiting annotator", async () => {
    closePairs();
    const sent: ComparisonRecord[] = [];
    const draftsWhenSent: string[][] = [];
    const pending: Promise<void>[] = [];
    const submit = (record: ComparisonRecord) => {
      const stored = (async () => {
        await whenStorageIdle();
        draftsWhenSent.push((await loadComparisonWork('srv', 'pairs-unit')).work?.drafts.map((d) => d.itemId) ?? []);
        sent.push(record);
      })();
      pending.push(stored);
      return stored;
    };
    // Sides the server drew: here the opposite of the local draw's, so a local draw would show.
    const sides = [0, 1, 2].map((i) => (1 - leftImage('pairs-unit', 'srv', i)) as 0 | 1);
    const left = sides[0]!;
    await openServerPairs(loaded, sides, 'srv', new Map([['b', earlier]]), { submit, total: 5 });
    let s = usePairStore.getState();
    expect([s.sides, s.index, s.submitted.size, s.server?.total]).toEqual([sides, 0, 1, 5]);

    chooseHighlighted(-2); // "Left is much better": images[left] is much better
    chooseHighlighted(0);
    expect(submitPair()).toBe(true);
    s = usePairStore.getState();
    expect(s.index).toBe(2); // b was submitted (on the server): c is next
    await Promise.all(pending);
    await whenStorageIdle();
    expect(sent).toEqual([expect.objectContaining({ itemId: 'a', left, answers: { plausibility: left === 0 ? -2 : 2, alignment: 0 } })]);
    // The outbox had the record while the stored work still held its draft; the draft went after.
    expect(draftsWhenSent).toEqual([['a']]);
    expect((await loadComparisonWork('srv', 'pairs-unit')).work?.drafts).toEqual([]);

    chooseHighlighted(1);
    submitPair();
    s = usePairStore.getState();
    // Nothing left here: the pair stays shown and the session (not the store) says when all is done.
    expect([s.index, s.finished]).toEqual([2, false]);
    moveOnIfWaiting();
    expect(usePairStore.getState().index).toBe(2);
    // The server hands out one more pair: the waiting annotator is shown it.
    const more = {
      ...pack,
      items: [...pack.items, { id: 'd', kind: 'compare' as const, prompt: 'p4', images: [{ image: 'd0.png' }, { image: 'd1.png' }] as [{ image: string }, { image: string }] }],
    };
    updateServerPairs({ pack: more, source: 'test', imageUrls: more.items.map(() => ['x', 'y'] as const) }, [...sides, 0]);
    moveOnIfWaiting();
    s = usePairStore.getState();
    expect([s.index, s.items.length, s.sides[3]]).toEqual([3, 4, 0]);
    await whenStorageIdle();
  });
});
