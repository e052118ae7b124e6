/**
 * The outbox and the sign-ins in IndexedDB (fake-indexeddb): Submit stores the entry and drops
 * the draft together, entries come back oldest first and only the given annotator's, a refusal
 * is kept on its entry, an unreadable entry is set aside (not dropped), and a version 2 database
 * (before the outbox) opens with its work intact.
 */
import 'fake-indexeddb/auto';
import { deleteDB, openDB } from 'idb';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import * as work from '../../src/storage/annotatorWork.ts';
import { closeDb, DB_NAME, openDb, SETTINGS_KEYS, STORES } from '../../src/storage/db.ts';
import { addToOutbox, listOutbox, removeFromOutbox, setRefusal } from '../../src/storage/outbox.ts';
import { listSetAside } from '../../src/storage/quarantine.ts';
import type { OutboxEntry } from '../../src/storage/records/outboxEntry.ts';
import { clearAnnotatorSignIn, loadAnnotatorSignIn, loadLeadSignIn, saveAnnotatorSignIn, saveLeadSignIn } from '../../src/storage/signIn.ts';
import { whenStorageIdle } from '../../src/storage/writeQueue.ts';

beforeEach(async () => {
  await whenStorageIdle();
  await closeDb();
  await deleteDB(DB_NAME);
});
afterEach(() => closeDb());

function entry(n: number, over: Partial<OutboxEntry> = {}): OutboxEntry {
  const itemId = `000${n}`;
  return {
    version: 1,
    clientId: `00000000-0000-4000-8000-00000000000${n}`,
    annotator: 'alice',
    pack: 'demo',
    item: { id: itemId, image: `/api/v1/images/${itemId}?exp=1&sig=x`, prompt: 'a red cat', width: 64, height: 48 },
    record: {
      itemId,
      imageWidth: 64,
      imageHeight: 48,
      points: [{ kind: 'artifact', x: 1, y: 2 }],
      misalignedTokens: [1],
      scores: { plausibility: 3, alignment: 4, aesthetics: 2, overall: 3 },
      submittedAt: '2026-11-26T10:00:00.000Z',
      activeMs: 1200,
    },
    queuedAt: 1_000 + n,
    ...over,
  };
}

const draft = (itemId: string) => ({ version: 1 as const, itemId, points: [], misalignedTokens: [], scores: { overall: 2 }, activeMs: 10, updatedAt: 1 });

describe('the outbox', () => {
  test('Submit stores the entry and drops the draft of its item, and nothing else', async () => {
    await work.saveDraft('alice', 'demo', draft('0001'));
    await work.saveDraft('alice', 'demo', draft('0002'));
    await addToOutbox(entry(1));
    const stored = await work.loadWork('alice', 'demo');
    expect(stored.drafts.map((d) => d.itemId)).toEqual(['0002']);
    expect((await listOutbox('alice')).entries).toEqual([entry(1)]);
  });

  test('a draft save issued before Submit cannot bring the draft back after it', async () => {
    // Not awaited: both are queued, in this order, as an edit then a Submit would be.
    void work.saveDraft('alice', 'demo', draft('0001'));
    const submitted = addToOutbox(entry(1));
    await submitted;
    await work.whenSaved();
    expect((await work.loadWork('alice', 'demo')).drafts).toEqual([]);
  });

  test("entries come back oldest first, and only the annotator's own", async () => {
    await addToOutbox(entry(3, { queuedAt: 10 }));
    await addToOutbox(entry(1, { queuedAt: 30 }));
    await addToOutbox(entry(2, { queuedAt: 20, annotator: 'bob' }));
    expect((await listOutbox('alice')).entries.map((e) => e.record.itemId)).toEqual(['0003', '0001']);
    expect((await listOutbox()).entries.map((e) => e.record.itemId)).toEqual(['0003', '0002', '0001']);
  });

  test('an entry leaves only when removed (after the server accepted it)', async () => {
    await addToOutbox(entry(1));
    await addToOutbox(entry(2));
    await removeFromOutbox(entry(1).clientId);
    expect((await listOutbox('alice')).entries.map((e) => e.clientId)).toEqual([entry(2).clientId]);
  });

  test("a refusal is kept on the entry with the server's words, and can be cleared", async () => {
    await addToOutbox(entry(1));
    await setRefusal(entry(1).clientId, { status: 409, message: 'itemId: item "0001" was never assigned to you' });
    expect((await listOutbox('alice')).entries[0]!.refusal).toEqual({ status: 409, message: 'itemId: item "0001" was never assigned to you' });
    await setRefusal(entry(1).clientId, undefined);
    expect((await listOutbox('alice')).entries).toEqual([entry(1)]);
    // Refusing an entry that is gone does not bring it back.
    await setRefusal('00000000-0000-4000-8000-000000000009', { status: 400, message: 'x' });
    expect((await listOutbox()).entries).toHaveLength(1);
  });

  test('an unreadable entry is set aside with the reason, not dropped; the others are listed', async () => {
    await addToOutbox(entry(1));
    await (await openDb()).put(STORES.outbox, { version: 1, clientId: 'not-a-uuid' }, 'broken');
    const { entries, setAside } = await listOutbox('alice');
    expect(entries).toEqual([entry(1)]);
    expect(setAside).toBe(1);
    const aside = await listSetAside();
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatchObject({ store: 'outbox', key: 'broken', value: { version: 1, clientId: 'not-a-uuid' } });
    expect(aside[0]!.reason).toMatch(/^waiting submission: clientId: must be a UUID/);
  });

  test('a version 2 database (before the outbox) opens with its work intact and an empty outbox', async () => {
    const old = await openDB(DB_NAME, 2, {
      upgrade(db) {
        for (const s of ['drafts', 'submitted', 'sessions', 'reviewFiles', 'settings']) db.createObjectStore(s);
        db.createObjectStore('quarantine', { autoIncrement: true });
      },
    });
    await old.put('drafts', draft('0004'), ['alice', 'demo', '0004']);
    old.close();
    expect((await work.loadWork('alice', 'demo')).drafts).toEqual([draft('0004')]);
    expect((await listOutbox()).entries).toEqual([]);
    await addToOutbox(entry(1));
    expect((await listOutbox()).entries).toHaveLength(1);
  });
});

describe('sign-ins', () => {
  test('are kept, read back and forgotten; the lead and the annotator apart', async () => {
    expect(await loadAnnotatorSignIn()).toBeNull();
    const signIn = {
      version: 1 as const,
      token: 'tok_en-123',
      annotator: 'alice',
      pack: { name: 'demo', annotatorsPerItem: 3, items: 8 },
      held: [{ item: entry(1).item, leaseExpiresAt: '2026-11-26T10:30:00.000Z' }],
    };
    await saveAnnotatorSignIn(signIn);
    await saveLeadSignIn({ version: 1, token: 'lead-token' });
    expect(await loadAnnotatorSignIn()).toEqual(signIn);
    await clearAnnotatorSignIn();
    expect(await loadAnnotatorSignIn()).toBeNull();
    expect(await loadLeadSignIn()).toEqual({ version: 1, token: 'lead-token' });
  });

  test('an unreadable sign-in is set aside and reads as signed out', async () => {
    await (await openDb()).put(STORES.settings, { version: 1, token: 'has spaces' }, SETTINGS_KEYS.annotatorSignIn);
    expect(await loadAnnotatorSignIn()).toBeNull();
    expect((await listSetAside()).map((q) => q.key)).toEqual([SETTINGS_KEYS.annotatorSignIn]);
  });
});
