import 'fake-indexeddb/auto';
import * as z from 'zod/mini';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { deleteDB, openDB } from 'idb';
import * as work from '../../src/storage/annotatorWork.ts';
import { closeDb, DB_NAME, DB_VERSION, openDb, SETTINGS_KEYS, STORES } from '../../src/storage/db.ts';
import { emptyComparisonWork, loadComparisonWork, saveComparisonWork } from '../../src/storage/comparisonWork.ts';
import { loadLocalPack, saveLocalPack } from '../../src/storage/localPack.ts';
import { listSetAside, setAside } from '../../src/storage/quarantine.ts';
import { draftRecord } from '../../src/storage/records/draft.ts';
import { localPackRecord } from '../../src/storage/records/localPack.ts';
import { reviewFileRecord } from '../../src/storage/records/reviewFile.ts';
import { sessionRecord } from '../../src/storage/records/session.ts';
import { submittedRecord } from '../../src/storage/records/submitted.ts';
import { listReviewFiles, pendingReviewWrites } from '../../src/storage/reviewFiles.ts';
import { describeStorageError } from '../../src/storage/storageError.ts';
import { restoreRecord, storedRecordType } from '../../src/storage/storedRecord.ts';

beforeEach(async () => {
  await work.whenSaved();
  await pendingReviewWrites();
  await closeDb();
  await deleteDB(DB_NAME);
});
afterEach(() => closeDb());

/**
 * Records exactly as the app wrote them at version 1 (commit a10bcf0, before records/ existed).
 * Whatever the current versions become, these must read back, migrated.
 */
const V1 = {
  draft: {
    version: 1,
    itemId: '0003',
    points: [{ id: 'pmb1x2', kind: 'artifact', x: 120.5, y: 40 }],
    misalignedTokens: [2],
    scores: { plausibility: 2 },
    activeMs: 5300,
    updatedAt: 1780000000000,
  },
  session: { version: 1, currentItemId: '0003', activeKind: 'misalignment', viewport: { scale: 1.5, x: -20, y: 8 } },
  /** Sessions written before zoom and pan were kept. */
  sessionWithoutView: { version: 1, currentItemId: '0001', activeKind: 'artifact' },
  submitted: {
    itemId: '0002',
    imageWidth: 512,
    imageHeight: 768,
    points: [{ kind: 'misalignment', x: 1, y: 2 }],
    misalignedTokens: [],
    scores: { plausibility: 4, alignment: 2, aesthetics: 5, overall: 3 },
    submittedAt: '2026-11-26T10:00:00.000Z',
    activeMs: 41250,
  },
  localPack: { version: 1, files: [{ path: 'pack/pack.json', blob: new Blob(['{}']) }] },
  reviewFile: { pack: 'demo', name: 'alice.json', blob: new Blob(['{}']), importedAt: '2026-01-01T00:00:00.000Z' },
};

describe('stored records migrate to the current version', () => {
  // A record kind on its third version: v1 {n}, v2 {version: 2, count}, v3 {version: 3, count, unit}.
  const counter = storedRecordType({
    name: 'counter',
    version: 3,
    schema: z.strictObject({ version: z.literal(3), count: z.number(), unit: z.string() }),
    migrations: {
      1: ({ n, ...rest }) => ({ ...rest, version: 2, count: n }),
      2: (r) => {
        if (typeof r.count !== 'number') throw new Error('count is not a number');
        return { ...r, version: 3, unit: 'clicks' };
      },
    },
    versionOf: (r) => r.version ?? 1,
  });

  test('a version 1 record goes through every migration', () => {
    expect(restoreRecord(counter, { n: 7 })).toEqual({ ok: true, value: { version: 3, count: 7, unit: 'clicks' }, fromVersion: 1 });
    expect(restoreRecord(counter, { version: 2, count: 8 })).toEqual({ ok: true, value: { version: 3, count: 8, unit: 'clicks' }, fromVersion: 2 });
    expect(restoreRecord(counter, { version: 3, count: 9, unit: 'px' })).toEqual({ ok: true, value: { version: 3, count: 9, unit: 'px' }, fromVersion: 3 });
  });

  test('what cannot be migrated says why', () => {
    expect(restoreRecord(counter, { n: 'seven' })).toEqual({ ok: false, reason: 'counter: the migration from version 2 failed: count is not a number' });
    expect(restoreRecord(counter, { version: 4, count: 1, unit: 'x' })).toEqual({
      ok: false,
      reason: 'counter: version: 4 was written by a newer richhf-studio (this one reads up to 3)',
    });
    expect(restoreRecord(counter, { version: 'two' })).toEqual({ ok: false, reason: 'counter: version: "two" is not a version number' });
    expect(restoreRecord(counter, [1, 2])).toEqual({ ok: false, reason: 'counter: is not an object' });
    expect(restoreRecord(counter, { version: 3, count: 1 })).toEqual({ ok: false, reason: 'counter: unit: required' });
  });

  test('a schema failure names at most three fields, then counts the rest', () => {
    const r = restoreRecord(draftRecord, { ...V1.draft, points: Array.from({ length: 5 }, () => ({ id: '', kind: 'x', x: 0, y: 0 })) });
    expect(r.ok).toBe(false);
    const reason = r.ok ? '' : r.reason;
    expect(reason.startsWith('draft: points[0].id: ')).toBe(true);
    expect(reason.split('; ')).toHaveLength(3);
    expect(reason.endsWith(' (and 7 more)')).toBe(true);
  });

  test('a kind without the migration from an older version is refused when defined', () => {
    expect(() => storedRecordType({ name: 'gap', version: 3, schema: z.object({}), migrations: { 1: (r) => r } })).toThrow('stored gap: no migration from version 2 to 3');
  });

  test('records written at version 1 read back as the current version of each kind', () => {
    const read = <T>(type: Parameters<typeof restoreRecord<T>>[0], v: unknown) => {
      const r = restoreRecord(type, structuredClone(v));
      if (!r.ok) throw new Error(r.reason);
      return r;
    };
    // The kinds still on version 1 read back unchanged; a new version must keep these.
    expect(read(draftRecord, V1.draft)).toEqual({ ok: true, value: V1.draft, fromVersion: 1 });
    // Session 1 -> 2: a viewport names its layout; a version 1 one's is unknown, so it goes (the item opens fitted).
    expect(read(sessionRecord, V1.session)).toEqual({ ok: true, value: { version: 2, currentItemId: '0003', activeKind: 'misalignment' }, fromVersion: 1 });
    expect(read(sessionRecord, V1.sessionWithoutView).value).toEqual({ ...V1.sessionWithoutView, version: 2 });
    const v2 = { version: 2, currentItemId: '0003', activeKind: 'artifact', viewport: { scale: 1.5, x: -20, y: 8, layout: 'narrow' } };
    expect(read(sessionRecord, v2)).toEqual({ ok: true, value: v2, fromVersion: 2 });
    expect(read(submittedRecord, V1.submitted).value).toEqual(V1.submitted);
    expect(read(localPackRecord, V1.localPack).value.files[0]!.path).toBe('pack/pack.json');
    expect(read(reviewFileRecord, V1.reviewFile).value.name).toBe('alice.json');
    expect([draftRecord, sessionRecord, submittedRecord, localPackRecord, reviewFileRecord].map((t) => t.version)).toEqual([1, 2, 1, 1, 1]);
  });
});

describe('comparison work (records/comparisonWork.ts)', () => {
  test('saved and read back per annotator and pack; an unreadable value is set aside, not read over', async () => {
    const work = {
      ...emptyComparisonWork(),
      submitted: [{ itemId: '0001', left: 1 as const, answers: { plausibility: -2 }, submittedAt: '2026-12-01T10:00:00.000Z', activeMs: 1200 }],
      drafts: [{ itemId: '0002', answers: { plausibility: 1 }, activeMs: 300 }],
      index: 1,
    };
    await saveComparisonWork('alice', 'ab', work);
    expect(await loadComparisonWork('alice', 'ab')).toEqual({ work, setAside: null });
    expect(await loadComparisonWork('bob', 'ab')).toEqual({ work: null, setAside: null });
    // An answer out of range (written by hand, or by a broken page): set aside with the reason.
    const db = await openDb();
    await db.put('comparisons', { ...work, drafts: [{ itemId: '0002', answers: { plausibility: 7 }, activeMs: 0 }] }, ['alice', 'ab']);
    const read = await loadComparisonWork('alice', 'ab');
    expect(read.work).toBeNull();
    expect(read.setAside).toMatch(/comparison work: drafts\[0\]\.answers\.plausibility/);
    expect(await db.count('quarantine')).toBe(1);
    expect(await db.get('comparisons', ['alice', 'ab'])).toBeUndefined();
  });
});

describe('the database upgrades in numbered steps', () => {
  test('a version 1 database (written before the quarantine store) opens with its work intact', async () => {
    const old = await openDB(DB_NAME, 1, {
      upgrade(db) {
        for (const s of ['drafts', 'submitted', 'sessions', 'reviewFiles', 'settings']) db.createObjectStore(s);
      },
    });
    await old.put('drafts', V1.draft, ['alice', 'demo', '0003']);
    await old.put('submitted', V1.submitted, ['alice', 'demo', '0002']);
    await old.put('sessions', V1.session, ['alice', 'demo']);
    await old.put('settings', 'alice', 'lastAnnotator');
    old.close();

    const db = await openDb();
    expect(db.version).toBe(DB_VERSION);
    expect(DB_VERSION).toBe(5);
    expect([...db.objectStoreNames].sort()).toEqual(['comparisons', 'drafts', 'outbox', 'quarantine', 'reviewFiles', 'sessions', 'settings', 'submitted']);
    expect(await work.loadWork('alice', 'demo')).toEqual({
      drafts: [V1.draft],
      submitted: [V1.submitted],
      session: { version: 2, currentItemId: '0003', activeKind: 'misalignment' },
      setAside: [],
    });
    expect(await work.loadLastAnnotator()).toBe('alice');
  });

  test('a database newer than this app is refused with a message that says so', async () => {
    (await openDB(DB_NAME, DB_VERSION + 1)).close();
    const error = await openDb().then(
      () => null,
      (e: unknown) => e,
    );
    expect(describeStorageError(error)).toMatch(/^the data stored in this browser was written by a newer version of richhf-studio: reload the page/);
  });
});

describe('unreadable records are set aside, not dropped', () => {
  test('loading work moves each unreadable value to the quarantine store with its reason, and reports it', async () => {
    const db = await openDb();
    const badDraft = { ...V1.draft, itemId: '0004', points: 'nope' };
    const badRecord = { ...V1.submitted, itemId: '0005', scores: { ...V1.submitted.scores, plausibility: 7 } };
    const futureSession = { ...V1.session, version: 9 };
    await db.put(STORES.drafts, V1.draft, ['alice', 'demo', '0003']);
    await db.put(STORES.drafts, badDraft, ['alice', 'demo', '0004']);
    await db.put(STORES.submitted, badRecord, ['alice', 'demo', '0005']);
    await db.put(STORES.sessions, futureSession, ['alice', 'demo']);

    const loaded = await work.loadWork('alice', 'demo');
    expect(loaded.drafts).toEqual([V1.draft]);
    expect(loaded.submitted).toEqual([]);
    expect(loaded.session).toBeNull();
    expect(loaded.setAside).toEqual([
      { what: 'the submitted item 0005', reason: 'submitted record: scores.plausibility: must be from 1 to 5' },
      { what: 'the draft of item 0004', reason: 'draft: points: Invalid input: expected array, received string' },
      { what: 'the item and tool you were at', reason: 'session: version: 9 was written by a newer richhf-studio (this one reads up to 2)' },
    ]);

    await work.whenSaved();
    const aside = await listSetAside();
    expect(aside.map(({ store, key, value, reason }) => ({ store, key, value, reason }))).toEqual([
      { store: 'submitted', key: ['alice', 'demo', '0005'], value: badRecord, reason: loaded.setAside[0]!.reason },
      { store: 'drafts', key: ['alice', 'demo', '0004'], value: badDraft, reason: loaded.setAside[1]!.reason },
      { store: 'sessions', key: ['alice', 'demo'], value: futureSession, reason: loaded.setAside[2]!.reason },
    ]);
    expect(Number.isNaN(Date.parse(aside[0]!.setAsideAt))).toBe(false);
    // Gone from where they were in the way; the readable draft untouched; nothing more to report.
    expect(await db.get(STORES.drafts, ['alice', 'demo', '0004'])).toBeUndefined();
    expect(await work.loadWork('alice', 'demo')).toEqual({ drafts: [V1.draft], submitted: [], session: null, setAside: [] });
  });

  test('a value that became readable before the move stays where it is', async () => {
    const db = await openDb();
    await db.put(STORES.drafts, V1.draft, ['alice', 'demo', '0003']);
    await setAside([{ store: 'drafts', key: ['alice', 'demo', '0003'], type: draftRecord, reason: 'found unreadable earlier' }]);
    expect(await db.get(STORES.drafts, ['alice', 'demo', '0003'])).toEqual(V1.draft);
    expect(await listSetAside()).toEqual([]);
  });

  test('an unreadable local pack is set aside and reported; a readable one opens', async () => {
    await saveLocalPack([{ path: 'pack.json', blob: new Blob(['{}']) }]);
    expect((await loadLocalPack()).files?.map((f) => f.path)).toEqual(['pack.json']);
    const db = await openDb();
    await db.put(STORES.settings, { version: 1, files: [{ path: 'pack.json', blob: 'not a blob' }] }, SETTINGS_KEYS.localPack);
    expect(await loadLocalPack()).toEqual({ files: null, setAside: 'local pack: files[0].blob: Invalid input: expected Blob, received string' });
    expect((await listSetAside()).map((q) => [q.store, q.key])).toEqual([['settings', 'localPack']]);
    expect(await loadLocalPack()).toEqual({ files: null, setAside: null });
  });

  test('an unreadable review file is set aside and named; the others are listed', async () => {
    const db = await openDb();
    await db.put(STORES.reviewFiles, V1.reviewFile, ['demo', 'alice.json']);
    await db.put(STORES.reviewFiles, { ...V1.reviewFile, name: 'bob.json', blob: 'text' }, ['demo', 'bob.json']);
    const listed = await listReviewFiles('demo');
    expect(listed.files.map((f) => f.name)).toEqual(['alice.json']);
    expect(listed.setAside).toEqual(['bob.json: review file: blob: Invalid input: expected Blob, received string']);
    expect((await listSetAside()).map((q) => q.key)).toEqual([['demo', 'bob.json']]);
  });
});
