/**
 * Where the annotator's session on a collection server stands, for its screens: plain data,
 * changed only by the actions below (the session in annotatorSession.ts calls them).
 */
import { create } from 'zustand';
import type { MeStudy, PackSummary } from '../../core/formats/api.ts';

export type CollectionPhase =
  | { readonly kind: 'connecting' }
  /** Signed out, or the token was refused (`message` is the server's). */
  | { readonly kind: 'signedOut'; readonly message: string | null }
  /** No answer from the server and nothing held to work on (it keeps trying). */
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'working' }
  /** Nothing left for this annotator (204); `retryAfterMs` when others hold items that may come back. */
  | { readonly kind: 'finished'; readonly retryAfterMs: number | null };

interface CollectionState {
  readonly phase: CollectionPhase;
  readonly annotator: string | null;
  readonly pack: PackSummary | null;
  /** Why no next item is coming, while the annotator has nothing unfinished (offline…). */
  readonly waiting: string | null;
  /** Items submitted: on the server or in the outbox. */
  readonly done: number;
  /** A crowd study's participant: their study as the server last said (null: an invited annotator). */
  readonly study: MeStudy | null;
  /** A participant's completion, as the finished screen shows it (completion.ts). */
  readonly completion: Completion;
  /** Which workspace is shown while working: the rating workspace, or the pair workspace for comparison items (issue 18). */
  readonly view: WorkspaceKind;
}

export type WorkspaceKind = 'rate' | 'pair';

export type Completion =
  | { readonly kind: 'checking' }
  /** Submissions of theirs still wait in this browser's stored outbox. */
  | { readonly kind: 'waiting'; readonly count: number }
  /** The server has not recorded them complete yet (or did not answer): asked again. */
  | { readonly kind: 'notYet'; readonly message: string | null }
  /** The stored outbox is empty and the server recorded them complete. */
  | { readonly kind: 'complete'; readonly code: string; readonly url: string | null };

export const useCollectionStore = create<CollectionState>()(() => ({
  phase: { kind: 'connecting' },
  annotator: null,
  pack: null,
  waiting: null,
  done: 0,
  study: null,
  completion: { kind: 'checking' },
  view: 'rate',
}));

const set = useCollectionStore.setState;

export function connecting(): void {
  set({ phase: { kind: 'connecting' }, waiting: null, completion: { kind: 'checking' }, view: 'rate' });
}

export function viewing(view: WorkspaceKind): void {
  set({ view });
}

/** Signed out (`message` null), or refused with the server's message, or a link that is not one. */
export function signedOut(message: string | null): void {
  set({ phase: { kind: 'signedOut', message } });
}

export function unreachable(message: string): void {
  set({ phase: { kind: 'unreachable', message } });
}

/** The server said who the token is (or the kept sign-in did, without the server). */
export function identified(annotator: string, pack: PackSummary, study?: MeStudy | null): void {
  set(study === undefined ? { annotator, pack } : { annotator, pack, study });
}

export function completionIs(completion: Completion): void {
  set({ completion });
}

export function working(): void {
  set({ phase: { kind: 'working' } });
}

export function finished(retryAfterMs: number | null): void {
  set({ phase: { kind: 'finished', retryAfterMs } });
}

/** Why no next item comes (null: one came, or nothing is expected). */
export function waitingBecause(message: string | null): void {
  set({ waiting: message });
}

export function counted(done: number): void {
  set({ done });
}
