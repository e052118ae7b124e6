/**
 * What the annotator does to their session: start on a pack, move between items, submit,
 * export their file (importing one, the static mode's alone, is in fileActions.ts). Every change to the work is written to IndexedDB at once
 * (drafts on each edit, records on submit) through src/storage.
 */
import { buildAnnotationFile } from '../../core/dataset/annotationFile.ts';
import type { RatingRecord } from '../../core/formats/index.ts';
import * as work from '../../storage/annotatorWork.ts';
import type { Draft } from '../../storage/records/draft.ts';
import { SESSION_VERSION, type Session } from '../../storage/records/session.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import type { LoadedPack } from '../pack/loadedPack.ts';
import { currentDraft, isComplete, loadDraft, newPointId, useDraftStore, type DraftContent } from './draftStore.ts';
import { firstUnscored } from './keymap.ts';
import { useSaveStore } from './saveStore.ts';
import { acquireTabLock, type TabLock } from './tabLock.ts';
import { useViewStore } from './viewStore.ts';
import { currentItem, showNotice, useWorkspaceStore } from './workspaceStore.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { downloadJson } from '../files/download.ts';

/** Zoom and pan are written once they have been still this long (milliseconds). */
const VIEWPORT_SETTLE_MS = 250;

/** The session is open and this tab holds its lock: the work may be written. */
export const canWrite = () => useWorkspaceStore.getState().phase.kind === 'ready';

/**
 * Open the annotator's stored work on a pack, holding the tab lock. Never rejects: whatever
 * fails (the lock, the storage) ends in the error phase, with what happened.
 */
export async function startSession(annotator: string, loaded: LoadedPack, steal = false): Promise<void> {
  const set = useWorkspaceStore.setState;
  set({ annotator, loaded, phase: { kind: 'loading', message: 'Opening your work…' } });
  releaseLock();
  try {
    let lock: TabLock | null = null;
    lock = await acquireTabLock(`${annotator}\u0000${loaded.pack.name}`, steal, (state) => {
      if (state !== 'lost' || useSaveStore.getState().lock !== lock) return;
      useSaveStore.setState({ lock: null });
      set({ phase: { kind: 'lost' } });
    });
    if (!lock) {
      set({ phase: { kind: 'busy' } });
      return;
    }
    useSaveStore.setState({ lock });
    // The static mode's sign-in form suggests the last annotator; a server's sign-in is not one.
    if (!loaded.server) void work.saveLastAnnotator(annotator);
    const stored = await work.loadWork(annotator, loaded.pack.name);
    const ids = new Set(loaded.pack.items.map((it) => it.id));
    // On a collection server the server (and the outbox) say what is submitted, not this browser's files.
    const submitted = new Map(loaded.server ? loaded.server.submitted() : stored.submitted.filter((r) => ids.has(r.itemId)).map((r) => [r.itemId, r]));
    const drafts = new Map(stored.drafts.filter((d) => ids.has(d.itemId)).map((d) => [d.itemId, d]));
    let index = stored.session ? loaded.pack.items.findIndex((it) => it.id === stored.session!.currentItemId) : -1;
    if (index < 0) index = nextUnfinished(loaded, submitted, -1) ?? 0;
    if (stored.session) useViewStore.getState().setActiveKind(stored.session.activeKind);
    set({ submitted, drafts, phase: { kind: 'ready' } });
    if (stored.setAside.length > 0) showNotice(setAsideNotice(stored.setAside), true);
    showItem(index);
    // On a collection server more items may come: the end is the server's to say (features/collection).
    if (submitted.size === loaded.pack.items.length && !loaded.server) set({ finished: true });
    // Back to the zoom and pan the annotator last saw on this item (made in a layout: the canvas
    // fits the image again when the layout is now another one).
    const saved = stored.session?.viewport;
    if (saved && loaded.pack.items[index]?.id === stored.session!.currentItemId) {
      useViewStore.setState({ viewport: { scale: saved.scale, x: saved.x, y: saved.y }, viewportLayout: saved.layout });
    }
  } catch (e) {
    releaseLock();
    set({ phase: { kind: 'error', title: 'Your saved work could not be opened.', errors: [describeStorageError(e)] } });
  }
}

/** The static mode opened `loaded`: the work on it of `annotator`, or the form that asks who annotates. */
export function openPack(loaded: LoadedPack, annotator: string | null): void {
  useWorkspaceStore.setState({ loaded });
  if (annotator) void startSession(annotator, loaded);
  else useWorkspaceStore.setState({ phase: { kind: 'identify' } });
}

/** At most this many set-aside values are named in the notice; the rest are counted. */
const NOTICE_NAMES = 3;

function setAsideNotice(notes: readonly work.SetAsideNote[]): string {
  const named = notes.slice(0, NOTICE_NAMES).map((n) => `${n.what} (${n.reason})`);
  const more = notes.length > NOTICE_NAMES ? `, and ${notes.length - NOTICE_NAMES} more` : '';
  return `Some of your saved work could not be read back: ${named.join('; ')}${more}. It was set aside in this browser, not deleted; tell your project lead.`;
}

/** Leave the work (signing out of a collection server): the last edit is saved and the tab lock released. */
export async function closeSession(): Promise<void> {
  persistDraft();
  await work.whenSaved();
  releaseLock();
  useWorkspaceStore.setState({ phase: { kind: 'identify' } });
}

/**
 * On a collection server, the items shown changed: more handed out, or the server's records
 * merged in (`submitted`). Items are only ever appended, so the current index stays right.
 */
export function updateServerItems(loaded: LoadedPack, submitted?: ReadonlyMap<string, RatingRecord>): void {
  useWorkspaceStore.setState(submitted ? { loaded, submitted } : { loaded });
}

function releaseLock(): void {
  useSaveStore.getState().lock?.release();
  useSaveStore.setState({ lock: null });
}

/** The first item after `from` (wrapping around) that is not submitted, or null if all are. */
export function nextUnfinished(loaded: LoadedPack, submitted: ReadonlyMap<string, RatingRecord>, from: number): number | null {
  const items = loaded.pack.items;
  for (let k = 1; k <= items.length; k++) {
    const i = (from + k) % items.length;
    if (!submitted.has(items[i]!.id)) return i;
  }
  return null;
}

function contentFor(itemId: string, draft: Draft | undefined, record: RatingRecord | undefined): { content: DraftContent; activeMs: number } {
  if (draft) return { content: { itemId, points: draft.points, misalignedTokens: draft.misalignedTokens, scores: draft.scores }, activeMs: draft.activeMs };
  if (record) {
    return {
      content: { itemId, points: record.points.map((p) => ({ id: newPointId(), ...p })), misalignedTokens: [...record.misalignedTokens], scores: { ...record.scores } },
      activeMs: record.activeMs,
    };
  }
  return { content: { itemId, points: [], misalignedTokens: [], scores: {} }, activeMs: 0 };
}

/** Show item `index`, keeping the current draft (saved already on each edit) in memory. */
export function showItem(index: number): void {
  const ws = useWorkspaceStore.getState();
  const loaded = ws.loaded;
  if (!loaded) return;
  const item = loaded.pack.items[index];
  if (!item) return;
  const drafts = new Map(ws.drafts);
  const cur = useDraftStore.getState();
  if (cur.itemId && cur.itemId !== item.id && cur.editCount !== useSaveStore.getState().shownEditCount) {
    // The draft we leave was edited (and saved on each edit): keep it so coming back shows it.
    drafts.set(cur.itemId, currentDraft());
    persistDraft();
  }
  // The item's stored draft stays in the map (it is still in storage) until the item is submitted.
  const { content, activeMs } = contentFor(item.id, drafts.get(item.id), ws.submitted.get(item.id));
  loadDraft(content, activeMs);
  const shown = useDraftStore.getState().editCount;
  useSaveStore.setState({ savedEditCount: shown, shownEditCount: shown });
  const size = item.width !== undefined && item.height !== undefined ? { width: item.width, height: item.height } : null;
  useWorkspaceStore.setState({ index, drafts, imageSize: size, imageError: null, finished: false });
  useViewStore.setState({ selectedId: null, viewport: null, cursor: null, cursorNote: '', scoreFocus: firstUnscored(content.scores) });
  if (canWrite() && ws.annotator) {
    void work.saveSession(ws.annotator, loaded.pack.name, { version: SESSION_VERSION, currentItemId: item.id, activeKind: useViewStore.getState().activeKind });
  }
}

/** Called by the draft store subscription: every edit goes to IndexedDB right away. */
export function persistDraft(): void {
  const ws = useWorkspaceStore.getState();
  const d = useDraftStore.getState();
  if (!canWrite() || !ws.annotator || !ws.loaded || !d.itemId || d.editCount === useSaveStore.getState().savedEditCount) return;
  useSaveStore.setState({ savedEditCount: d.editCount });
  void work.saveDraft(ws.annotator, ws.loaded.pack.name, currentDraft());
}

/** The current item, tool and view; at once, or held back until zoom and pan settle. */
export function persistSession(settleMs = 0): void {
  const ws = useWorkspaceStore.getState();
  const item = currentItem();
  if (!canWrite() || !ws.annotator || !ws.loaded || !item) return;
  const { activeKind, viewport, viewportLayout } = useViewStore.getState();
  const view = viewport && viewportLayout ? { viewport: { scale: viewport.scale, x: viewport.x, y: viewport.y, layout: viewportLayout } } : {};
  const session: Session = { version: SESSION_VERSION, currentItemId: item.id, activeKind, ...view };
  if (settleMs > 0) void work.saveSessionLater(ws.annotator, ws.loaded.pack.name, session, settleMs);
  else void work.saveSession(ws.annotator, ws.loaded.pack.name, session);
}

/** Submit the current item if all four scores are given; then go to the next unfinished item, or to the end of the pack. */
export async function submitCurrent(): Promise<boolean> {
  const ws = useWorkspaceStore.getState();
  const item = currentItem();
  const d = useDraftStore.getState();
  if (!canWrite() || !ws.annotator || !ws.loaded || !item || !ws.imageSize || !isComplete(d.scores) || d.itemId !== item.id) return false;
  const record: RatingRecord = {
    itemId: item.id,
    imageWidth: ws.imageSize.width,
    imageHeight: ws.imageSize.height,
    points: d.points.map(({ kind, x, y }) => ({ kind, x, y })),
    misalignedTokens: [...d.misalignedTokens],
    scores: { ...d.scores },
    submittedAt: new Date().toISOString(),
    activeMs: Math.round(d.activeMs),
  };
  const saved = ws.loaded.server ? ws.loaded.server.submit(record) : work.saveSubmitted(ws.annotator, ws.loaded.pack.name, record);
  const submitted = new Map(ws.submitted);
  submitted.set(item.id, record);
  const drafts = new Map(ws.drafts);
  drafts.delete(item.id);
  useWorkspaceStore.setState({ submitted, drafts });
  useSaveStore.setState({ savedEditCount: d.editCount, shownEditCount: d.editCount });
  const next = nextUnfinished(ws.loaded, submitted, ws.index);
  if (next !== null) showItem(next);
  else if (!ws.loaded.server) useWorkspaceStore.setState({ finished: true });
  await saved;
  return true;
}

export function exportAnnotations(): void {
  const ws = useWorkspaceStore.getState();
  if (!ws.annotator || !ws.loaded) return;
  const file = buildAnnotationFile(ws.annotator, ws.loaded.pack, ws.submitted.values());
  downloadJson(file, downloadName([ws.loaded.pack.name, ws.annotator, 'annotations'], 'json'));
  showNotice(`Exported ${file.annotations.length} submitted item(s).`, false);
}

/** Save each edit as it happens, and the active time when the tab is hidden or closed. */
export function installAutosave(): () => void {
  let last = useDraftStore.getState().editCount;
  const unsub = useDraftStore.subscribe((s) => {
    if (s.editCount !== last) {
      last = s.editCount;
      persistDraft();
    }
  });
  // The tool at once; zoom and pan once they settle (they change many times a second). The
  // held-back write is part of `whenSaved()`, and leaving the page writes it at once.
  const unsubView = useViewStore.subscribe((s, prev) => {
    if (s.activeKind !== prev.activeKind) persistSession();
    else if (s.viewport !== prev.viewport && s.viewport) persistSession(VIEWPORT_SETTLE_MS);
  });
  const flush = () => {
    persistDraft();
    void work.whenSaved();
  };
  const onHide = () => {
    if (document.visibilityState === 'hidden') flush();
  };
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', flush);
  return () => {
    unsub();
    unsubView();
    document.removeEventListener('visibilitychange', onHide);
    window.removeEventListener('pagehide', flush);
  };
}
