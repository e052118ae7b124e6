/**
 * One start of the annotator's session on a collection server: what it holds (plain data apart
 * from the sender and the retry timer), the one session current in this page, and how it ends.
 * Each start replaces the last; a stopped session changes nothing any more (every step checks
 * `stopped` after each wait).
 */
import type { ServerComparison } from '../../core/formats/api.ts';
import type { ComparisonRecord } from '../../core/formats/comparison.ts';
import type { AnnotationRecord, RatingRecord } from '../../core/formats/index.ts';
import type { AnnotatorSignIn } from '../../storage/records/signIn.ts';
import { clearAnnotatorSignIn, saveAnnotatorSignIn } from '../../storage/signIn.ts';
import { closeSession } from '../annotate/session.ts';
import { useWorkspaceStore } from '../annotate/workspaceStore.ts';
import type { ServerBinding } from '../pack/loadPack.ts';
import { ApiError, type Connection } from './api.ts';
import { createRetryTimer, type RetryTimer } from './backoff.ts';
import { signedOut, useCollectionStore } from './collectionStore.ts';
import { emptyHeld, heldForSignIn, type HeldItems } from './heldItems.ts';
import type { Sender } from './outboxSender.ts';

export interface Live {
  readonly conn: Connection;
  signIn: AnnotatorSignIn;
  sender: Sender | null;
  readonly held: HeldItems;
  /** The one pending retry of this session (who the token is, the next item). */
  readonly retry: RetryTimer;
  /** Where the workspace's Submit goes, and what it counts as submitted. */
  readonly binding: ServerBinding;
  refilling: boolean;
  /** A finished page's long poll is in flight; the Retry-After the finished screen was shown with. */
  longPoll: { readonly retryAfterMs: number | null } | null;
  refillFailures: number;
  /** The rating workspace shows the held rating items (its session is open on them). */
  bound: boolean;
  /** The pair workspace (a chunk loaded with the first comparison item) shows the held comparison items. */
  pairs: PairsView | null;
  stopped: boolean;
  /** The server's own records are merged in (false after a start without the server). */
  caughtUp: boolean;
}

/** The pair workspace as the session drives it (compare/serverPairs.ts, in a chunk of its own). */
export interface PairsView {
  /** The held comparison items (only appended to: indices stay) and their records changed. */
  update(items: readonly ServerComparison[], submitted: ReadonlyMap<string, ComparisonRecord>): void;
  /** Shows the first unsubmitted pair when the one shown is submitted and untouched. */
  moveOnIfWaiting(): void;
  close(): void;
}

/** Either workspace shows held items. */
export const shown = (l: Live): boolean => l.bound || l.pairs !== null;

let live: Live | null = null;

export function currentLive(): Live | null {
  return live;
}

/** A new session, current from now on; any other stops. */
export function beginLive(signIn: AnnotatorSignIn, conn: Connection, binding: ServerBinding): Live {
  stopLive();
  live = {
    conn,
    signIn,
    sender: null,
    held: emptyHeld(),
    retry: createRetryTimer(),
    binding,
    refilling: false,
    longPoll: null,
    refillFailures: 0,
    bound: false,
    pairs: null,
    stopped: false,
    caughtUp: false,
  };
  return live;
}

export function stopLive(): void {
  if (!live) return;
  live.stopped = true;
  live.sender?.stop();
  live.retry.cancel();
  live.pairs?.close();
  live = null;
}

/** A refusal of the token (401) or an answer nobody can act on: end the session, keep everything stored. */
export function endLive(l: Live, e: unknown): void {
  if (l.stopped) return;
  stopLive();
  signedOut(e instanceof ApiError || e instanceof Error ? e.message : String(e));
  // A token that never signed anyone in (an unknown invite) is not kept: the next visit shows the server's own page.
  if (e instanceof ApiError && e.kind === 'auth' && l.signIn.annotator === undefined && useCollectionStore.getState().annotator === null) {
    clearAnnotatorSignIn().catch((err: unknown) => console.warn('richhf: the sign-in could not be forgotten', err));
  }
  if (l.bound) void closeSession();
}

/**
 * What counts as submitted: the held records (the server's, the outbox's: every comparison
 * record is there), and the rating workspace's once it shows the rating items.
 */
export function submittedNow(l: Live): ReadonlyMap<string, AnnotationRecord> {
  return l.bound ? new Map<string, AnnotationRecord>([...l.held.records, ...useWorkspaceStore.getState().submitted]) : l.held.records;
}

/** The rating records of `submitted` (what the rating workspace is told). */
export function ratingsOf(submitted: ReadonlyMap<string, AnnotationRecord>): Map<string, RatingRecord> {
  const out = new Map<string, RatingRecord>();
  for (const [id, r] of submitted) if (r.left === undefined) out.set(id, r);
  return out;
}

/** The sign-in record keeps the unsubmitted items held, so the page opens on them without the server. */
export function keepHeld(l: Live): void {
  keepSignIn(l, { ...l.signIn, held: heldForSignIn(l.held, submittedNow(l)) });
}

export function keepSignIn(l: Live, signIn: AnnotatorSignIn): void {
  l.signIn = signIn;
  saveAnnotatorSignIn(signIn).catch((e: unknown) => console.warn('richhf: the sign-in could not be kept', e));
}
