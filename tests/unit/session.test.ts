import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { deleteDB } from 'idb';
import type { TaskPack } from '../../src/core/formats/index.ts';
import { useDraftStore } from '../../src/features/annotate/draftStore.ts';
import { installAutosave, startSession, submitCurrent } from '../../src/features/annotate/session.ts';
import { useViewStore } from '../../src/features/annotate/viewStore.ts';
import { useWorkspaceStore } from '../../src/features/annotate/workspaceStore.ts';
import type { LoadedPack } from '../../src/features/pack/loadPack.ts';
import * as work from '../../src/storage/annotatorWork.ts';
import { closeDb, DB_NAME } from '../../src/storage/db.ts';

const pack: TaskPack = {
  format: 'richhf-taskpack',
  version: 1,
  name: 'demo',
  annotatorsPerItem: 3,
  items: ['0001', '0002', '0003'].map((id) => ({ id, image: `${id}.png`, prompt: 'a red ball', width: 512, height: 512 })),
};
const loaded: LoadedPack = { pack, source: 'demo/pack.json', imageUrls: pack.items.map((it) => it.image) };

/** A page without the DOM: installAutosave listens for the tab being hidden or closed. */
function stubPage() {
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('document', Object.assign(new EventTarget(), { visibilityState: 'visible' }));
  vi.stubGlobal('navigator', {});
}

let uninstall: (() => void) | null = null;

beforeEach(async () => {
  stubPage();
  await work.whenSaved();
  await closeDb();
  await deleteDB(DB_NAME);
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
    expect((await work.loadWork('alice', 'demo')).session?.viewport).toEqual({ scale: 2, x: -30, y: 12 });
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
