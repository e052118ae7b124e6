/**
 * The annotator's session on a pack: who they are, the pack, what is submitted, where they are.
 * State is plain data; the actions in session.ts change it and keep storage in step, and the
 * notice and the image's arrival (which touch nothing stored) have their own actions here.
 */
import { create } from 'zustand';
import type { RatingRecord } from '../../core/formats/index.ts';
import type { Draft } from '../../storage/records/draft.ts';
import type { LoadedPack } from '../pack/loadedPack.ts';
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

/** The static mode waits for its pack (`message` says for what). */
export function loadingPack(message: string): void {
  useWorkspaceStore.setState({ phase: { kind: 'loading', message } });
}

/** The static mode's pack could not be opened: `errors` say why, one line each. */
export function packFailed(errors: string[]): void {
  useWorkspaceStore.setState({ phase: { kind: 'error', title: 'The task pack could not be opened.', errors } });
}

/** The current item's image arrived: its size, when the pack did not give it, is the file's own. */
export function imageShown(width: number, height: number): void {
  const s = useWorkspaceStore.getState();
  if (!s.imageSize || s.imageError) useWorkspaceStore.setState({ imageSize: s.imageSize ?? { width, height }, imageError: null });
}

/** The current item's image could not be loaded (it is tried again): `message` says so. */
export function imageFailed(message: string): void {
  useWorkspaceStore.setState({ imageError: message });
}

/** A message floating over the workspace (imports, exports, storage failures) until dismissed or replaced. */
export function showNotice(text: string, isError: boolean, problems?: readonly string[]): void {
  useWorkspaceStore.setState({ notice: { text, isError, ...(problems ? { problems } : {}) } });
}

export function dismissNotice(): void {
  useWorkspaceStore.setState({ notice: null });
}
