/**
 * The plain parts of the annotator's session on a collection server: what the outbox indicator
 * counts (outboxStore.ts) and the items and records a session holds (heldItems.ts), with
 * hand-made entries and records.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { isServerComparison, type ServedItem, type ServerComparison, type ServerItem } from '../../src/core/formats/api.ts';
import type { ComparisonRecord } from '../../src/core/formats/comparison.ts';
import type { AnnotationRecord, RatingRecord } from '../../src/core/formats/index.ts';
import { emptyHeld, gather, heldForSignIn, lease, mergeServerRecords, unsubmitted } from '../../src/features/collection/heldItems.ts';
import { outboxDelivered, outboxListed, outboxQueued, outboxRefused, outboxStalled, resetOutbox, useOutboxStore } from '../../src/features/collection/outboxStore.ts';
import type { OutboxEntry } from '../../src/storage/records/outboxEntry.ts';

const item = (id: string, sig = 'x'): ServerItem => ({ id, image: `/api/v1/images/${id}?exp=1&sig=${sig}`, prompt: 'a red cat', width: 64, height: 48 });

const imageOf = (it: ServedItem) => (isServerComparison(it) ? it.images[0].image : it.image);
const overallOf = (r: AnnotationRecord | undefined) => (r && r.left === undefined ? r.scores.overall : undefined);

const pair = (id: string, left: 0 | 1 = 1): ServerComparison => ({
  id,
  kind: 'compare',
  prompt: 'a red cat',
  images: [
    { image: `/api/v1/images/${id}?i=0&exp=1&sig=a`, width: 64, height: 48 },
    { image: `/api/v1/images/${id}?i=1&exp=1&sig=b`, width: 64, height: 48 },
  ],
  criteria: ['plausibility'],
  left,
});
const pairRecord = (itemId: string, left: 0 | 1, submittedAt = '2026-11-26T10:00:00.000Z', plausibility = -1): ComparisonRecord => ({
  itemId,
  left,
  answers: { plausibility },
  submittedAt,
  activeMs: 900,
});

function record(itemId: string, submittedAt = '2026-11-26T10:00:00.000Z', overall = 3): RatingRecord {
  return {
    itemId,
    imageWidth: 64,
    imageHeight: 48,
    points: [],
    misalignedTokens: [],
    scores: { plausibility: 3, alignment: 3, aesthetics: 3, overall },
    submittedAt,
    activeMs: 1000,
  };
}

function entry(n: number, refusal?: { status: number; message: string }): OutboxEntry {
  const itemId = `000${n}`;
  return {
    version: 1,
    clientId: `00000000-0000-4000-8000-00000000000${n}`,
    annotator: 'alice',
    pack: 'demo',
    item: item(itemId),
    record: record(itemId),
    queuedAt: n,
    ...(refusal ? { refusal } : {}),
  };
}

describe('the outbox count (outboxStore.ts)', () => {
  beforeEach(resetOutbox);
  const count = () => useOutboxStore.getState().waiting;

  test('a submission counts from its Submit until its 200, whatever a list read meanwhile says', () => {
    outboxQueued(entry(1));
    outboxQueued(entry(1)); // the same clientId twice is one submission
    expect(count()).toBe(1);
    // The sender read the storage before entry 2 was stored, and delivers entry 1.
    outboxListed([entry(1)]);
    outboxQueued(entry(2));
    outboxListed([entry(1)]);
    expect(useOutboxStore.getState().itemIds).toEqual(['0001', '0002']);
    outboxDelivered(entry(1).clientId);
    expect(count()).toBe(1);
    outboxDelivered(entry(2).clientId);
    expect(count()).toBe(0);
  });

  test('entries found in storage join in its order; a refusal is shown and kept until the 200', () => {
    outboxListed([entry(3), entry(4, { status: 409, message: 'the item left the pack' })]);
    expect(useOutboxStore.getState().refused).toEqual([{ clientId: entry(4).clientId, itemId: '0004', status: 409, message: 'the item left the pack' }]);
    outboxStalled('the server cannot be reached', 5000);
    expect(useOutboxStore.getState()).toMatchObject({ waiting: 2, problem: 'the server cannot be reached', retryAt: 5000 });
    outboxRefused(entry(3).clientId, { status: 400, message: 'bad scores' });
    expect(useOutboxStore.getState()).toMatchObject({ waiting: 2, problem: null, retryAt: null });
    expect(useOutboxStore.getState().refused.map((r) => r.itemId)).toEqual(['0003', '0004']);
    outboxDelivered(entry(4).clientId);
    expect(useOutboxStore.getState()).toMatchObject({ waiting: 1, itemIds: ['0003'] });
  });
});

describe('the items a session holds (heldItems.ts)', () => {
  test('the outbox first, then the kept leases; a kept copy refreshes the image address in place', () => {
    const h = emptyHeld();
    gather(h, [entry(1), entry(2)], {
      version: 1,
      token: 't'.repeat(43),
      held: [
        { item: item('0003'), leaseExpiresAt: 'L3' },
        { item: item('0002', 'new'), leaseExpiresAt: 'L2' },
      ],
    });
    expect(h.items.map((it) => it.id)).toEqual(['0001', '0002', '0003']);
    expect(imageOf(h.items[1]!)).toContain('sig=new');
    expect([...h.records.keys()]).toEqual(['0001', '0002']);
    expect(unsubmitted(h, h.records).map((it) => it.id)).toEqual(['0003']);
    lease(h, item('0004'), 'L4');
    expect(heldForSignIn(h, h.records)).toEqual([
      { item: item('0003'), leaseExpiresAt: 'L3' },
      { item: item('0004'), leaseExpiresAt: 'L4' },
    ]);
  });

  test("the server's records join unless the one here is newer; unknown items go first before the workspace shows any, last after", () => {
    const h = emptyHeld();
    lease(h, item('0002'), 'L2');
    h.records.set('0001', record('0001', '2026-11-26T12:00:00.000Z', 5));
    h.items.unshift(item('0001'));
    const server = [
      { item: item('0001'), record: record('0001', '2026-11-26T11:00:00.000Z', 1) }, // older than the outbox's: stays 5
      { item: item('0005'), record: record('0005', '2026-11-26T09:00:00.000Z', 2) },
      { item: item('0006'), record: record('0006', '2026-11-26T09:30:00.000Z', 4) },
    ];
    const before = new Map(h.records);
    const merged = mergeServerRecords(h, server, before, true);
    expect(h.items.map((it) => it.id)).toEqual(['0005', '0006', '0001', '0002']);
    expect([...merged].map(([id, r]) => [id, overallOf(r)])).toEqual([
      ['0001', 5],
      ['0005', 2],
      ['0006', 4],
    ]);
    expect(before.size).toBe(1); // a copy is returned: the map passed in is not changed
    expect(overallOf(h.records.get('0005'))).toBe(2);

    // Shown already: a newer revision from another browser replaces this one; new items go last.
    const newer = [
      { item: item('0001'), record: record('0001', '2026-11-26T13:00:00.000Z', 2) },
      { item: item('0007'), record: record('0007') },
    ];
    const again = mergeServerRecords(h, newer, merged, false);
    expect(h.items.map((it) => it.id)).toEqual(['0005', '0006', '0001', '0002', '0007']);
    expect(overallOf(again.get('0001'))).toBe(2);
    expect(overallOf(h.records.get('0001'))).toBe(2);
  });
});

describe('held items of both kinds (issue 18)', () => {
  test('comparison items and their records sit beside rating items: unsubmitted, kept for the sign-in, merged newest-wins', () => {
    const h = emptyHeld();
    lease(h, item('0001'), 'L1');
    lease(h, pair('c1', 1), 'L2');
    lease(h, pair('c2', 0), 'L3');
    h.records.set('c1', pairRecord('c1', 1));
    expect(unsubmitted(h, h.records).map((it) => it.id)).toEqual(['0001', 'c2']);
    // The sign-in keeps the comparison item as the server handed it out, with its drawn side.
    expect(heldForSignIn(h, h.records)).toEqual([
      { item: item('0001'), leaseExpiresAt: 'L1' },
      { item: pair('c2', 0), leaseExpiresAt: 'L3' },
    ]);
    // The server's newer revision of c1 replaces the one here; an older one of c2 joins as it is.
    const merged = mergeServerRecords(
      h,
      [
        { item: pair('c1', 1), record: pairRecord('c1', 1, '2026-11-26T11:00:00.000Z', 2) },
        { item: pair('c2', 0), record: pairRecord('c2', 0) },
      ],
      h.records,
      false,
    );
    expect([...merged].map(([id, r]) => [id, r.left, r.left === undefined ? null : r.answers.plausibility])).toEqual([
      ['c1', 1, 2],
      ['c2', 0, -1],
    ]);
    expect(unsubmitted(h, merged).map((it) => it.id)).toEqual(['0001']);
  });
});
