/**
 * The pair workspace on a collection server (issue 18): the comparison items the server handed
 * out, as a pack the pair store opens. Each item is shown with the side the server drew for this
 * annotator (`left`), never a local draw, and its images load from the server's signed URLs. No
 * system is named: the server sends none. Loaded with the first comparison item (this module and
 * the workspace are a chunk of their own), and driven by the session (collection/workspaceBinding.ts).
 */
import type { PackSummary, ServerComparison } from '../../core/formats/api.ts';
import type { ComparisonItem, ComparisonRecord } from '../../core/formats/comparison.ts';
import type { TaskPack } from '../../core/formats/taskpack.ts';
import type { PairsView } from '../collection/live.ts';
import type { LoadedComparisonPack } from '../pack/loadPack.ts';
import { closePairs, moveOnIfWaiting, openServerPairs as openPairStore, updateServerPairs } from './pairStore.ts';

export interface ServerPairsOptions {
  readonly annotator: string;
  readonly pack: PackSummary;
  readonly items: readonly ServerComparison[];
  readonly submitted: ReadonlyMap<string, ComparisonRecord>;
  readonly submit: (record: ComparisonRecord) => Promise<void>;
}

function comparisonItem(it: ServerComparison): ComparisonItem {
  const image = (i: ServerComparison['images'][number]) => ({ image: i.image, ...(i.width !== null && i.height !== null ? { width: i.width, height: i.height } : {}) });
  return { id: it.id, kind: 'compare', prompt: it.prompt, images: [image(it.images[0]), image(it.images[1])], criteria: it.criteria };
}

const url = (image: string) => new URL(image, window.location.href).href;

function loadedOf(summary: PackSummary, items: readonly ServerComparison[]): LoadedComparisonPack {
  const pack: TaskPack = {
    format: 'richhf-taskpack',
    version: 2,
    name: summary.name,
    annotatorsPerItem: summary.annotatorsPerItem,
    ...(summary.instructions !== undefined ? { instructions: summary.instructions } : {}),
    items: items.map(comparisonItem),
  };
  return { pack, source: 'server', imageUrls: items.map((it) => [url(it.images[0].image), url(it.images[1].image)] as const) };
}

export async function openServerPairs({ annotator, pack, items, submitted, submit }: ServerPairsOptions): Promise<PairsView> {
  await openPairStore(
    loadedOf(pack, items),
    items.map((it) => it.left),
    annotator,
    submitted,
    { submit, total: pack.items },
  );
  return {
    update: (more, records) =>
      updateServerPairs(
        loadedOf(pack, more),
        more.map((it) => it.left),
        records,
      ),
    moveOnIfWaiting,
    close: closePairs,
  };
}
