import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { deleteDB } from 'idb';
import type { RatingPack, RatingRecord } from '../../src/core/formats/index.ts';
import { useDraftStore } from '../../src/features/annotate/draftStore.ts';
import { useSaveStore } from '../../src/features/annotate/saveStore.ts';
import { importAnnotations } from '../../src/features/annotate/importAnnotations.ts';
import { installAutosave, persistSession, startSession, submitCurrent } from '../../src/features/annotate/session.ts';
import { useViewStore } from '../../src/features/annotate/viewStore.ts';
import { acquireTabLock } from '../../src/features/annotate/tabLock.ts';
import { useWorkspaceStore } from '../../src/features/annotate/workspaceStore.ts';
import type { LoadedPack } from '../../src/features/pack/loadPack.ts';
import * as work from '../../src/storage/annotatorWork.ts';
import { closeDb, DB_NAME, openDb, STORES } from '../../src/storage/db.ts';
import { listSetAside } from '../../src/storage/quarantine.ts';

const pack: RatingPack = {
  format: 'richhf-taskpack',
  version: 1,
  name: 'demo',
  annotatorsPerItem: 3,
  items: ['0001', '0002', '0003'].map((id) => ({ id, image: `${id}.png`, prompt: 'a red ball', width: 512, height: 512 })),
};
const loaded: LoadedPack = { pack, source: 'demo/pack.json', imageUrls: pack.items.map((it) => it.image) };

const record = (itemId: string): RatingRecord => ({
  itemId,
  imageWidth: 512,
  imageHeight: 512,
  points: [{ kind: 'artifact', x: 5, y: 6 }],
  misalignedTokens: [1],
  scores: { plausibility: 3, alignment: 4, aesthetics: 2, overall: 3 },
  submittedAt: '2026-11-26T10:00:00.000Z',
  activeMs: 1200,
});

/** Every store of the database, key and value, as one comparable value. */
async function everythingStored(): Promise<Record<string, [unknown, unknown][]>> {
  const db = await openDb();
  const out: Record<string, [unknown, unknown][]> = {};
  for (const name of db.objectStoreNames) {
    const tx = db.transaction(name, 'readonly');
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    out[name] = keys.map((k, i) => [k, values[i]]);
  }
  return out;
}

/** A page without the DOM: installAutosave listens for the tab being hidden or closed. */
function stubPage() {
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
  vi.stubGlobal('navigator', {});
}

/**
 * Web Locks as two tabs of one browser see them: one holder per name; `ifAvailable` gets null
 * while it is held; `steal` takes it over and the holder's request rejects (AbortError).
 */
function fakeLocks() {
  const holders = new Map<string, (e: unknown) => void>();
  return {
    request(name: string, options: LockOptions, callback: (lock: { name: string } | null) => Promise<unknown>): Promise<unknown> {
      return new Promise((resolve, reject) => {
        if (holders.has(name) && options.ifAvailable) {
          callback(null).then(resolve, reject);
          return;
        }
        if (holders.has(name) && options.steal) holders.get(name)!(new DOMException('The lock was stolen.', 'AbortError'));
        holders.set(name, reject);
        callback({ name }).then((v) => {
          if (holders.get(name) === reject) holders.delete(name);
          resolve(v);
        }, reject);
      });
    },
  };
}

let uninstall: (() => void) | null = null;

beforeEach(async () => {
  stubPage();
  await work.whenSaved();
  await closeDb();
  await deleteDB(DB_NAME);
  useWorkspaceStore.setState(useWorkspaceStore.getInitialState(), true);
  useSaveStore.setState(useSaveStore.getInitialState(), true);
  useDraftStore.setState(useDraftStore.getInitialState(), true);
  useViewStore.setState(useViewStore.getInitialState(), true);
  uninstall = installAutosave();
});

afterEach(() => {
  uninstall?.();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('saving the session', () => {
  test('whenSaved() covers a zoom and pan that has not settled yet', async () => {
    await startSession('alice', loaded);
    useViewStore.getState().setViewport({ scale: 2, x: -30, y: 12 });
    await work.whenSaved();
    expect((await work.loadWork('alice', 'demo')).session?.viewport).toEqual({ scale: 2, x: -30, y: 12, layout: 'wide' });
  });

  test('every edit is written, and a reload finds the item, the tool and the draft', async () => {
    await startSession('alice', loaded);
    useViewStore.getState().setActiveKind('misalignment');
    useDraftStore.getState().addPoint('misalignment', 10, 20);
    useDraftStore.getState().setScore('overall', 4);
    await work.whenSaved();
    const stored = await work.loadWork('alice', 'demo');
    expect(stored.session).toMatchObject({ currentItemId: '0001', activeKind: 'misalignment' });
    expect(stored.drafts.map((d) => [d.itemId, d.points.length, d.scores])).toEqual([['0001', 1, { overall: 4 }]]);
  });

  test('submitting stores the record, drops the draft and opens the next unfinished item', async () => {
    await startSession('alice', loaded);
    useWorkspaceStore.setState({ imageSize: { width: 512, height: 512 } });
    useDraftStore.getState().addPoint('artifact', 5, 6);
    for (const s of ['plausibility', 'alignment', 'aesthetics', 'overall'] as const) useDraftStore.getState().setScore(s, 3);
    expect(await submitCurrent()).toBe(true);
    await work.whenSaved();
    const stored = await work.loadWork('alice', 'demo');
    expect(stored.drafts).toEqual([]);
    expect(stored.submitted.map((r) => r.itemId)).toEqual(['0001']);
    expect(stored.session?.currentItemId).toBe('0002');
    expect(useDraftStore.getState().itemId).toBe('0002');
  });
});

describe('stored work that cannot be read', () => {
  test('is set aside, and the annotator is told which items it was', async () => {
    const db = await openDb();
    await db.put(STORES.drafts, { version: 1, itemId: '0002', points: 'nope' }, ['alice', 'demo', '0002']);
    await startSession('alice', loaded);
    expect(useWorkspaceStore.getState().phase.kind).toBe('ready');
    const notice = useWorkspaceStore.getState().notice;
    expect(notice?.isError).toBe(true);
    expect(notice?.text).toMatch(
      /^Some of your saved work could not be read back: the draft of item 0002 \(draft: [a-zA-Z]+: .*\)\. It was set aside in this browser, not deleted/,
    );
    await work.whenSaved();
    expect((await listSetAside()).map((q) => q.key)).toEqual([['alice', 'demo', '0002']]);
  });
});

describe('failures end in a visible state', () => {
  test('an IndexedDB that cannot be opened shows an error, not "Opening your work…"', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await closeDb();
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('The user denied permission to access the database.', 'UnknownError');
    });
    await startSession('alice', loaded);
    const phase = useWorkspaceStore.getState().phase;
    expect(phase.kind).toBe('error');
    expect(phase.kind === 'error' && phase.errors.join('\n')).toMatch(/denied permission/);
    await work.whenSaved();
    // Remembering the annotator failed too: the save indicator says so.
    expect(work.saveState().error).toMatch(/storage failed .*denied permission/);
  });

  test('a tab lock that cannot be requested shows an error, not "opened in another tab"', async () => {
    vi.stubGlobal('navigator', { locks: { request: () => Promise.reject(new DOMException('Access to the Locks API is denied.', 'SecurityError')) } });
    await startSession('alice', loaded);
    const phase = useWorkspaceStore.getState().phase;
    expect(phase.kind).toBe('error');
    expect(phase.kind === 'error' && phase.errors.join('\n')).toMatch(/Locks API is denied/);
  });
});

describe('one tab at a time', () => {
  test('work open in another tab is refused, and nothing is read or written', async () => {
    // Alice's work from before (a submitted item, a draft, her place), and bob as the last annotator.
    await work.saveSubmitted('alice', 'demo', record('0001'));
    await work.saveDraft('alice', 'demo', { version: 1, itemId: '0003', points: [], misalignedTokens: [2], scores: {}, activeMs: 5, updatedAt: 1 });
    await work.saveSession('alice', 'demo', { version: 2, currentItemId: '0003', activeKind: 'misalignment' });
    await work.saveLastAnnotator('bob');
    await work.whenSaved();
    const before = await everythingStored();

    vi.stubGlobal('navigator', { locks: fakeLocks() });
    void acquireTabLock('alice\u0000demo', false, () => {}); // the other tab, holding it
    await startSession('alice', loaded);
    expect(useWorkspaceStore.getState().phase.kind).toBe('busy');
    // Nothing read: none of alice's work is in this tab.
    const ws = useWorkspaceStore.getState();
    expect([ws.submitted.size, ws.drafts.size, useDraftStore.getState().itemId]).toEqual([0, 0, '']);
    expect(useViewStore.getState().activeKind).toBe('artifact');
    // Nothing written, not even when the tab is hidden or closed (the autosave's moments).
    persistSession();
    window.dispatchEvent(new Event('pagehide'));
    await work.whenSaved();
    expect(await everythingStored()).toEqual(before);
  });

  test('a tab whose work is taken over stops writing', async () => {
    vi.stubGlobal('navigator', { locks: fakeLocks() });
    await startSession('alice', loaded);
    useDraftStore.getState().addPoint('artifact', 1, 1);
    await work.whenSaved();
    let other: string | null = null;
    await acquireTabLock('alice\u0000demo', true, (s) => (other = s));
    expect(other).toBe('held');
    expect(useWorkspaceStore.getState().phase.kind).toBe('lost');
    useDraftStore.getState().addPoint('artifact', 2, 2);
    await work.whenSaved();
    expect((await work.loadWork('alice', 'demo')).drafts[0]!.points).toHaveLength(1);
  });
});

describe('importing a file: every outcome is a notice', () => {
  const file = (annotations: RatingRecord[]) =>
    new File([JSON.stringify({ format: 'richhf-annotations', version: 1, annotator: 'alice', pack: 'demo', annotations })], 'alice.json', { type: 'application/json' });

  test('records that cannot be saved are not reported as imported, and nothing changes', async () => {
    await startSession('alice', loaded);
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    await importAnnotations(file([record('0001'), record('0002')]));
    expect(useWorkspaceStore.getState().notice).toEqual({
      text: "Not imported: alice.json could not be saved in this browser (this browser's storage for the site is full (QuotaExceededError: The quota has been exceeded.)). Nothing was changed.",
      isError: true,
    });
    expect(useWorkspaceStore.getState().submitted.size).toBe(0);
    vi.restoreAllMocks();
    expect((await work.loadWork('alice', 'demo')).submitted).toEqual([]);
  });

  test('a file that cannot be read is said so; a good one is imported and counted', async () => {
    await startSession('alice', loaded);
    const unreadable = { name: 'gone.json', arrayBuffer: () => Promise.reject(new DOMException('The file was removed.', 'NotReadableError')) } as unknown as File;
    await importAnnotations(unreadable);
    expect(useWorkspaceStore.getState().notice).toEqual({ text: 'Not imported: gone.json could not be read (The file was removed.). Nothing was changed.', isError: true });
    await importAnnotations(file([record('0002')]));
    expect(useWorkspaceStore.getState().notice).toEqual({ text: 'Imported 1 item(s) from alice.json.', isError: false });
    expect((await work.loadWork('alice', 'demo')).submitted.map((r) => r.itemId)).toEqual(['0002']);
  });
});
