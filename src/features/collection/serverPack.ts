/**
 * The pack the workspace shows on a collection server: the static mode's workspace, fed with
 * the items the server handed out (not the server's whole pack, which the annotator never
 * receives). Rating items only: comparison items (issue 18) go to the pair workspace
 * (workspaceBinding.ts).
 */
import type { PackSummary, ServerItem } from '../../core/formats/api.ts';
import type { RatingItem, RatingPack } from '../../core/formats/index.ts';
import type { LoadedPack, ServerBinding } from '../pack/loadedPack.ts';

function taskItem(it: ServerItem): RatingItem {
  return { id: it.id, image: it.image, prompt: it.prompt, ...(it.width !== null && it.height !== null ? { width: it.width, height: it.height } : {}) };
}

export function serverPack(summary: PackSummary, items: readonly ServerItem[], binding: ServerBinding): LoadedPack {
  const pack: RatingPack = {
    format: 'richhf-taskpack',
    version: 1,
    name: summary.name,
    annotatorsPerItem: summary.annotatorsPerItem,
    ...(summary.instructions !== undefined ? { instructions: summary.instructions } : {}),
    items: items.map(taskItem),
  };
  return { pack, source: 'server', imageUrls: items.map((it) => new URL(it.image, window.location.href).href), server: binding };
}
