/**
 * The collection session and the annotator's workspace (features/annotate): the workspace is
 * opened once on the items held, shown more of them as /next hands them out, and moved on to a
 * new item when the annotator sits on a submitted one with nothing else to do.
 */
import { useDraftStore } from '../annotate/draftStore.ts';
import { useSaveStore } from '../annotate/saveStore.ts';
import { showItem, startSession, updateServerItems } from '../annotate/session.ts';
import { currentItem, useWorkspaceStore } from '../annotate/workspaceStore.ts';
import type { RatingRecord } from '../../core/formats/index.ts';
import { useCollectionStore } from './collectionStore.ts';
import type { Live } from './live.ts';
import { serverPack } from './serverPack.ts';

const packOf = (l: Live) => serverPack(useCollectionStore.getState().pack!, l.held.items, l.binding);

/** Open the workspace on the items held (once; later items are added to it). The phase is the caller's to set. */
export async function bind(l: Live): Promise<void> {
  if (l.bound || l.stopped || l.held.items.length === 0) return;
  await startSession(useCollectionStore.getState().annotator!, packOf(l));
  l.bound = true;
  if (l.stopped) return;
  // Start on an unfinished item, not on a submitted one the stored session pointed to.
  const ws = useWorkspaceStore.getState();
  const cur = currentItem();
  const open = l.held.items.findIndex((it) => !ws.submitted.has(it.id));
  if (cur && ws.submitted.has(cur.id) && open >= 0) showItem(open);
}

/** The held items changed (and the records, when `submitted` is given): the workspace shows them. */
export function showHeld(l: Live, submitted?: ReadonlyMap<string, RatingRecord>): void {
  if (l.bound) updateServerItems(packOf(l), submitted);
}

/** The annotator sits on a submitted item, untouched, with nothing else to do: show `itemId`. */
export function moveOnIfWaiting(l: Live, itemId: string): void {
  const ws = useWorkspaceStore.getState();
  const cur = currentItem();
  const untouched = useDraftStore.getState().editCount === useSaveStore.getState().shownEditCount;
  if (cur && ws.submitted.has(cur.id) && untouched) showItem(l.held.items.findIndex((it) => it.id === itemId));
}
