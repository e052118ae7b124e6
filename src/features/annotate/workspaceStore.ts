/**
 * The annotator's session on a pack: who they are, the pack, what is submitted, where they are.
 * State is plain data; the actions in session.ts change it and keep storage in step.
 */
import { create } from 'zustand';
import type { RatingRecord } from '../../core/formats/index.ts';
import type { Draft } from '../../storage/records/draft.ts';
import type { LoadedPack } from '../pack/loadPack.ts';
import type { Size } from '../../core/annotate/geometry.ts';

export type Phase =
  | { kind: 'identify' }
  | { kind: 'loading'; message: string }
  | { kind: 'error'; title: string; errors: string[] }
  /** Another tab holds this annotator's work on this pack. */
  | { kind: 'busy' }
  /** Another tab took the work over: this one is read-only. */
  | { kind: 'lost' }
  | { kind: 'ready' };

interface WorkspaceState {
  phase: Phase;
  annotator: string | null;
  loaded: LoadedPack | null;
  /** Submitted records by item id. */
  submitted: ReadonlyMap<string, RatingRecord>;
  /** Stored drafts of items other than the current one, by item id. */
  drafts: ReadonlyMap<string, Draft>;
  index: number;
  /** Size of the current item's image in image pixels (the pack's, else the file's own). */
  imageSize: Size | null;
  imageError: string | null;
  /** A short message about the last import/export, shown politely; `problems`: a rejected file's first problems. */
  notice: { text: string; isError: boolean; problems?: readonly string[] } | null;
  /** The end of the pack is shown (every item submitted), until the annotator goes back to an item. */
  finished: boolean;
}

export const useWorkspaceStore = create<WorkspaceState>()(() => ({
  phase: { kind: 'identify' },
  annotator: null,
  loaded: null,
  submitted: new Map(),
  drafts: new Map(),
  index: 0,
  imageSize: null,
  imageError: null,
  notice: null,
  finished: false,
}));

export function currentItem() {
  const s = useWorkspaceStore.getState();
  return s.loaded?.pack.items[s.index] ?? null;
}
