import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, test } from 'vitest';
import { deleteDB } from 'idb';
import * as work from '../../src/storage/annotatorWork.ts';
import { closeDb, DB_NAME } from '../../src/storage/db.ts';
import { currentDraft, isComplete, loadDraft, redo, undo, useDraftStore } from '../../src/features/annotate/draftStore.ts';
import type { RatingRecord } from '../../src/core/formats/index.ts';
import type { Draft } from '../../src/storage/records/draft.ts';

beforeEach(async () => {
  await work.whenSaved();
  await closeDb();
  await deleteDB(DB_NAME);
});

const draft = (itemId: string, x = 10): Draft => ({
  version: 1,
  itemId,
  points: [{ id: 'p1', kind: 'artifact', x, y: 20 }],
  misalignedTokens: [1],
  scores: { plausibility: 3 },
  activeMs: 1200,
  updatedAt: 1,
});

const record = (itemId: string, submittedAt = '2026-11-26T10:00:00.000Z'): RatingRecord => ({
  itemId,
  imageWidth: 512,
  imageHeight: 512,
  points: [{ kind: 'misalignment', x: 1, y: 2 }],
  misalignedTokens: [],
  scores: { plausibility: 4, alignment: 2, aesthetics: 5, overall: 3 },
  submittedAt,
  activeMs: 41250,
});

describe('annotator work in IndexedDB', () => {
  test('drafts, records and the session are kept per annotator and per pack', async () => {
    await work.saveDraft('alice', 'demo', draft('0001'));
    await work.saveDraft('bob', 'demo', draft('0001', 99));
    await work.saveDraft('alice', 'other', draft('0001', 55));
    await work.saveSubmitted('alice', 'demo', record('0002'));
    await work.saveSession('alice', 'demo', { version: 2, currentItemId: '0001', activeKind: 'misalignment' });
    const alice = await work.loadWork('alice', 'demo');
    expect(alice.drafts).toEqual([draft('0001')]);
    expect(alice.submitted).toEqual([record('0002')]);
    expect(alice.session).toEqual({ version: 2, currentItemId: '0001', activeKind: 'misalignment' });
    expect((await work.loadWork('bob', 'demo')).drafts[0]!.points[0]!.x).toBe(99);
    expect((await work.loadWork('alice', 'other')).drafts[0]!.points[0]!.x).toBe(55);
    expect(await work.loadWork('carol', 'demo')).toEqual({ drafts: [], submitted: [], session: null, setAside: [] });
  });

  test('submitting stores the record and drops the draft together', async () => {
    await work.saveDraft('alice', 'demo', draft('0001'));
    await work.saveSubmitted('alice', 'demo', record('0001'));
    const w = await work.loadWork('alice', 'demo');
    expect(w.drafts).toEqual([]);
    expect(w.submitted.map((r) => r.itemId)).toEqual(['0001']);
  });

  test('writes are applied in the order they were issued', async () => {
    for (let i = 0; i < 20; i++) void work.saveDraft('alice', 'demo', draft('0001', i));
    await work.whenSaved();
    expect((await work.loadWork('alice', 'demo')).drafts[0]!.points[0]!.x).toBe(19);
  });

  test('the last annotator is remembered', async () => {
    expect(await work.loadLastAnnotator()).toBeNull();
    await work.saveLastAnnotator('alice');
    expect(await work.loadLastAnnotator()).toBe('alice');
  });
});

describe('draft store: every edit is one undoable step', () => {
  beforeEach(() => loadDraft({ itemId: '0001', points: [], misalignedTokens: [], scores: {} }, 0));

  test('points, words and scores undo and redo in order', () => {
    const s = useDraftStore.getState();
    const id = s.addPoint('artifact', 10, 20);
    useDraftStore.getState().movePoint(id, 30, 40);
    useDraftStore.getState().toggleToken(2);
    useDraftStore.getState().toggleToken(0);
    useDraftStore.getState().setScore('alignment', 2);
    expect(useDraftStore.getState().misalignedTokens).toEqual([0, 2]);
    undo();
    expect(useDraftStore.getState().scores).toEqual({});
    undo();
    expect(useDraftStore.getState().misalignedTokens).toEqual([2]);
    undo();
    undo();
    expect(useDraftStore.getState().points).toEqual([{ id, kind: 'artifact', x: 10, y: 20 }]);
    undo();
    expect(useDraftStore.getState().points).toEqual([]);
    undo(); // nothing left: no change
    expect(useDraftStore.getState().points).toEqual([]);
    redo();
    redo();
    expect(useDraftStore.getState().points).toEqual([{ id, kind: 'artifact', x: 30, y: 40 }]);
  });

  test('a new edit after undo drops the redo branch', () => {
    useDraftStore.getState().setScore('overall', 1);
    undo();
    useDraftStore.getState().setScore('overall', 5);
    redo();
    expect(useDraftStore.getState().scores).toEqual({ overall: 5 });
  });

  test('deleting or moving a point that is no longer there (undone under a stale selection) is no edit: redo still brings it back', () => {
    const id = useDraftStore.getState().addPoint('misalignment', 256, 256);
    undo();
    const count = useDraftStore.getState().editCount;
    useDraftStore.getState().deletePoint(id);
    useDraftStore.getState().movePoint(id, 1, 1);
    expect(useDraftStore.getState().editCount).toBe(count);
    redo();
    expect(useDraftStore.getState().points).toEqual([{ id, kind: 'misalignment', x: 256, y: 256 }]);
  });

  test('loading another item starts a fresh history and is not itself undoable', () => {
    useDraftStore.getState().setScore('overall', 1);
    loadDraft({ itemId: '0002', points: [], misalignedTokens: [3], scores: {} }, 500);
    undo();
    expect(useDraftStore.getState().itemId).toBe('0002');
    expect(useDraftStore.getState().misalignedTokens).toEqual([3]);
  });

  test('active time is not part of the history, and edits bump the save counter', () => {
    const before = useDraftStore.getState().editCount;
    useDraftStore.getState().touch(1000);
    useDraftStore.getState().touch(4000);
    useDraftStore.getState().setScore('aesthetics', 4);
    undo();
    expect(useDraftStore.getState().activeMs).toBe(3000);
    expect(useDraftStore.getState().editCount).toBe(before + 2);
    expect(currentDraft().activeMs).toBe(3000);
  });

  test('complete only with all four scores', () => {
    expect(isComplete({ plausibility: 1, alignment: 1, aesthetics: 1 })).toBe(false);
    expect(isComplete({ plausibility: 1, alignment: 1, aesthetics: 1, overall: 5 })).toBe(true);
  });
});
