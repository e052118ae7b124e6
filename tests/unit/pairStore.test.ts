import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deleteDB } from 'idb';
import { leftImage } from '../../src/core/compare/sides.ts';
import type { TaskPack } from '../../src/core/formats/taskpack.ts';
import { closeDb, DB_NAME } from '../../src/storage/db.ts';
import { whenStorageIdle } from '../../src/storage/writeQueue.ts';
import { loadComparisonWork } from '../../src/storage/comparisonWork.ts';
import { answersOf, chooseHighlighted, highlight, openPairs, panBy, showPair, submitPair, unanswered, usePairStore, zoomBy } from '../../src/features/compare/pairStore.ts';

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
