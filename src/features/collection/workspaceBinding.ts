/**
 * The collection session and its two workspaces: the rating workspace (features/annotate) on the
 * held rating items, and the pair workspace (features/compare, a chunk loaded with the first
 * comparison item) on the held comparison items. Each is opened once on the items held, shown
 * more of them as /next hands them out, and moved on to a new item when the annotator sits on a
 * submitted one with nothing else to do. Which of the two is shown (collectionStore `view`)
 * follows the items: the workspace of the item the annotator turns to next.
 */
import { isServerComparison, type ServedItem, type ServerComparison, type ServerItem } from '../../core/formats/api.ts';
import type { ComparisonRecord } from '../../core/formats/comparison.ts';
import type { AnnotationRecord } from '../../core/formats/index.ts';
import { useDraftStore } from '../annotate/draftStore.ts';
import { useSaveStore } from '../annotate/saveStore.ts';
import { showItem, startSession, updateServerItems } from '../annotate/session.ts';
import { currentItem, useWorkspaceStore } from '../annotate/workspaceStore.ts';
import { useCollectionStore, viewing, waitingBecause, type WorkspaceKind } from './collectionStore.ts';
import { ratingsOf, submittedNow, type Live } from './live.ts';
import { serverPack } from './serverPack.ts';
import { submitToOutbox } from './submit.ts';
import { PairWorkspace } from './chunkScreens.tsx';

const kindOf = (it: ServedItem): WorkspaceKind => (isServerComparison(it) ? 'pair' : 'rate');
const ratingItems = (l: Live): ServerItem[] => l.held.items.filter((it): it is ServerItem => !isServerComparison(it));
const comparisonItems = (l: Live): ServerComparison[] => l.held.items.filter(isServerComparison);
const packOf = (l: Live) => serverPack(useCollectionStore.getState().pack!, ratingItems(l), l.binding);

function comparisonRecords(submitted: ReadonlyMap<string, AnnotationRecord>): Map<string, ComparisonRecord> {
  const out = new Map<string, ComparisonRecord>();
  for (const [id, r] of submitted) if (r.left !== undefined) out.set(id, r);
  return out;
}

/** Open the workspaces on the items held (each once, when it has items; later items are added to it). The phase is the caller's to set. */
export async function bind(l: Live): Promise<void> {
  if (l.stopped) return;
  if (!l.bound && ratingItems(l).length > 0) await bindRatings(l);
  if (l.stopped) return;
  if (!l.pairs && comparisonItems(l).length > 0) await bindPairs(l);
  if (!l.stopped) chooseView(l);
}

async function bindRatings(l: Live): Promise<void> {
  await startSession(useCollectionStore.getState().annotator!, packOf(l));
  l.bound = true;
  if (l.stopped) return;
  // Start on an unfinished item, not on a submitted one the stored session pointed to.
  const ws = useWorkspaceStore.getState();
  const cur = currentItem();
  const items = packOf(l).pack.items;
  const open = items.findIndex((it) => !ws.submitted.has(it.id));
  if (cur && ws.submitted.has(cur.id) && open >= 0) showItem(open);
}

async function bindPairs(l: Live): Promise<void> {
  const { annotator, pack } = useCollectionStore.getState();
  let chunk: typeof import('../compare/serverPairs.ts');
  try {
    // The pair workspace's code too, so it shows at once when its turn comes (chunkScreens.tsx).
    [chunk] = await Promise.all([import('../compare/serverPairs.ts'), PairWorkspace.preload()]);
  } catch (e) {
    // The chunk did not load (the service worker precaches it, so: offline with no worker yet, or a new build on the server).
    waitingBecause(`The pair workspace could not be loaded (${e instanceof Error ? e.message : String(e)}): reload the page once the connection is back; your work is kept.`);
    return;
  }
  const { openServerPairs } = chunk;
  if (l.stopped || l.pairs) return;
  l.pairs = await openServerPairs({
    annotator: annotator!,
    pack: pack!,
    items: comparisonItems(l),
    submitted: comparisonRecords(submittedNow(l)),
    submit: (record) => submitToOutbox(l, record),
  });
  if (l.stopped) l.pairs.close();
}

/**
 * Which workspace is shown: the one shown stays while it has unsubmitted items; else the
 * workspace of the first unsubmitted item held (in the order the server handed them out); with
 * nothing unsubmitted, the one shown if it is open, else the other.
 */
export function chooseView(l: Live): void {
  const submitted = submittedNow(l);
  const open = l.held.items.filter((it) => !submitted.has(it.id));
  const view = useCollectionStore.getState().view;
  const isOpen = (k: WorkspaceKind) => (k === 'pair' ? l.pairs !== null : l.bound);
  if (isOpen(view) && open.some((it) => kindOf(it) === view)) return;
  const first = open.find((it) => isOpen(kindOf(it)));
  const next: WorkspaceKind = first ? kindOf(first) : isOpen(view) ? view : view === 'pair' ? 'rate' : 'pair';
  if (next !== view) viewing(next);
}

/** The held items changed (and the records, when `submitted` is given): the workspaces show them. */
export function showHeld(l: Live, submitted?: ReadonlyMap<string, AnnotationRecord>): void {
  if (l.bound) updateServerItems(packOf(l), submitted && ratingsOf(submitted));
  l.pairs?.update(comparisonItems(l), comparisonRecords(submitted ?? submittedNow(l)));
}

/** The annotator sits on a submitted item, untouched, with nothing else to do: show `itemId` (in its workspace). */
export function moveOnIfWaiting(l: Live, itemId: string): void {
  const item = l.held.items.find((it) => it.id === itemId);
  if (!item) return;
  if (isServerComparison(item)) l.pairs?.moveOnIfWaiting();
  else if (l.bound) {
    const ws = useWorkspaceStore.getState();
    const cur = currentItem();
    const untouched = useDraftStore.getState().editCount === useSaveStore.getState().shownEditCount;
    if (cur && ws.submitted.has(cur.id) && untouched) showItem(packOf(l).pack.items.findIndex((it) => it.id === itemId));
  }
  chooseView(l);
}
