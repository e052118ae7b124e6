/**
 * Items from the server: the annotator always holds HOLD unsubmitted items (the current one and
 * one ready behind it, its image fetched and decoded), so Submit moves on at once. `/next` is
 * asked for more, excluding what is held and what still waits in the outbox; without an answer
 * it is asked again with backoff; when nothing is left the session is finished, and keeps asking
 * with a long poll (`/next?wait=WAIT_S`): the server answers as soon as an item comes free for
 * this annotator (a revoke, a rejection, an expired lease), so nobody waits a lease's full
 * Retry-After, and items freed on another server behind the same database are seen within
 * WAIT_S.
 */
import { prefetch } from '../annotate/imageCache.ts';
import { isServerComparison } from '../../core/formats/api.ts';
import { ApiError, next } from './api.ts';
import { backoffMs } from './backoff.ts';
import { finished, useCollectionStore, waitingBecause, working } from './collectionStore.ts';
import { lease, unsubmitted } from './heldItems.ts';
import { endLive, keepHeld, submittedNow, type Live } from './live.ts';
import { useOutboxStore } from './outboxStore.ts';
import { bind, moveOnIfWaiting, showHeld } from './workspaceBinding.ts';

/** Unsubmitted items the annotator holds: the current one and one ready behind it. */
export const HOLD = 2;
/** The server refuses more ids in `exclude`. */
const MAX_EXCLUDE = 100;
/** Seconds a finished page's long poll may wait on the server (its MAX_WAIT_S at most). */
export const WAIT_S = 25;

/**
 * Keep HOLD unsubmitted items in hand. Never rejects: every outcome is a phase or a waiting message.
 * `waitS` > 0: the finished page's long poll (`retryAfterMs`: what that page was shown with).
 */
export async function refill(l: Live, waitS = 0, retryAfterMs: number | null = null): Promise<void> {
  if (l.stopped) return;
  const open = unsubmitted(l.held, submittedNow(l));
  if (l.refilling) {
    // The finished page's long poll brings any item that comes free. Someone who went back to
    // revise a submitted item and submitted it again returns to the finished screen at once.
    if (l.longPoll && open.length === 0 && useCollectionStore.getState().phase.kind === 'working') finished(l.longPoll.retryAfterMs);
    return;
  }
  if (open.length >= HOLD) return;
  l.refilling = true;
  if (waitS > 0) l.longPoll = { retryAfterMs };
  try {
    const exclude = [...new Set([...open.map((it) => it.id), ...useOutboxStore.getState().itemIds])].slice(0, MAX_EXCLUDE);
    const asked = Date.now();
    const answer = await next(l.conn, exclude, waitS);
    l.refillFailures = 0;
    if (l.stopped) return;
    if (answer.kind === 'none') {
      waitingBecause(null);
      // A server that does not wait answers at once: ask again after WAIT_S then, not in a loop.
      if (open.length === 0) await finish(l, answer.retryAfterMs, waitS > 0 ? Math.max(0, asked + WAIT_S * 1000 - Date.now()) : 0);
      return;
    }
    const known = l.held.items.some((it) => it.id === answer.item.id);
    lease(l.held, answer.item, answer.leaseExpiresAt);
    const { item } = answer;
    for (const image of isServerComparison(item) ? item.images.map((i) => i.image) : [item.image]) prefetch(new URL(image, window.location.href).href);
    showHeld(l);
    keepHeld(l);
    // Each workspace opens with the first item of its kind; an open one is shown the new item if its annotator waits.
    await bind(l);
    moveOnIfWaiting(l, answer.item.id);
    if (l.stopped) return;
    if (useCollectionStore.getState().phase.kind !== 'working') working();
    waitingBecause(null);
    l.refilling = false;
    l.longPoll = null;
    if (!known) await refill(l);
  } catch (e) {
    if (!(e instanceof ApiError) || e.kind === 'auth') return endLive(l, e);
    // 409: too many leases held while the outbox still waits; a delivery calls refill again.
    if (e.kind === 'refused') return waitingBecause(e.message);
    const ms = backoffMs(++l.refillFailures);
    waitingBecause(`No next item yet: ${e.message}. Trying again in ${Math.round(ms / 1000)} s.`);
    l.retry.schedule(() => void refill(l), ms);
  } finally {
    l.refilling = false;
    l.longPoll = null;
  }
}

/**
 * Nothing left for this annotator: the finished screen, with the workspace open on what they
 * submitted (so they can review, revise and export it, however they got here). Items may come
 * back (others' leases expire, the lead revokes or rejects someone): wait for them on the server
 * (a long poll), after `delayMs`.
 */
async function finish(l: Live, retryAfterMs: number | null, delayMs: number): Promise<void> {
  await bind(l);
  if (l.stopped) return;
  finished(retryAfterMs);
  l.retry.schedule(() => void refill(l, WAIT_S, retryAfterMs), delayMs);
  // A study's participant: their completion code, once everything of theirs is acknowledged.
  // completion.ts is a chunk of its own, loaded only here (the server has just answered); if it
  // cannot load, the next refill comes back here and tries again.
  if (!useCollectionStore.getState().study) return;
  await import('./completion.ts').then(
    (m) => m.checkCompletion(l),
    (e: unknown) => console.warn('richhf: the study completion check could not be loaded', e),
  );
}
