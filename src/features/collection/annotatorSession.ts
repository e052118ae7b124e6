/**
 * An annotator working on a collection server (`/?invite=TOKEN`): the session's life, from the
 * sign-in to the end. The workspace is the static mode's own, shown on the items the server
 * handed out (their earlier records, the outbox's, the leases held), growing as `/next` hands
 * out more. Without an answer from the server the page keeps working on what it holds (kept
 * with the sign-in), and sends what waits when the server is back. A 401 anywhere ends the
 * session with the server's message; nothing stored is removed.
 *
 * The parts, one job each: collectionStore.ts (what the screens show), live.ts (one start of the
 * session and how it ends), heldItems.ts (the items and records held; the merge with the
 * server's), itemSupply.ts (`/next`), submit.ts (Submit into the outbox, and what follows an
 * acknowledgement), outboxSender.ts and outboxStore.ts (sending, and what waits),
 * workspaceBinding.ts and serverPack.ts (the workspace on the held items), waitingFile.ts.
 */
import type { MeStudy, PackSummary } from '../../core/formats/api.ts';
import { listOutbox } from '../../storage/outbox.ts';
import type { OutboxEntry } from '../../storage/records/outboxEntry.ts';
import type { AnnotatorSignIn } from '../../storage/records/signIn.ts';
import { clearAnnotatorSignIn } from '../../storage/signIn.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { closeSession } from '../annotate/session.ts';
import { showNotice } from '../annotate/workspaceStore.ts';
import { ApiError, me, mySubmissions, submit, type MyRecords } from './api.ts';
import { backoffMs } from './backoff.ts';
import { connecting, counted, identified, signedOut, unreachable, useCollectionStore, working } from './collectionStore.ts';
import { gather, mergeServerRecords, unsubmitted } from './heldItems.ts';
import { refill } from './itemSupply.ts';
import { beginLive, currentLive, endLive, keepSignIn, ratingsOf, shown, stopLive, submittedNow, type Live } from './live.ts';
import { createSender } from './outboxSender.ts';
import { outboxListed, resetOutbox, useOutboxStore } from './outboxStore.ts';
import { delivered, submitToOutbox } from './submit.ts';
import { bind, showHeld } from './workspaceBinding.ts';

/** Open the session for a stored sign-in: ask the server who this is, gather the work, show it. Never rejects. */
export async function startCollection(signIn: AnnotatorSignIn): Promise<void> {
  resetOutbox();
  const l: Live = beginLive(signIn, { token: signIn.token, onAnswer: () => onAnswer(l) }, { submitted: () => ratingsOf(submittedNow(l)), submit: (r) => submitToOutbox(l, r) });
  connecting();
  await connect(l, 0);
}

/** Never rejects: whatever goes wrong that nobody can act on ends the session with its message. */
function connect(l: Live, attempt: number): Promise<void> {
  return connectOnce(l, attempt).catch((e: unknown) => endLive(l, e));
}

async function connectOnce(l: Live, attempt: number): Promise<void> {
  let who: { annotator: string; pack: PackSummary; study: MeStudy | null } | null = null;
  try {
    const answer = await me(l.conn);
    if (answer.role !== 'annotator' || answer.annotator === undefined) {
      signedOut("This link is the project lead's: it opens the review page, not the annotator's work.");
      return;
    }
    who = { annotator: answer.annotator, pack: answer.pack, study: answer.study ?? null };
  } catch (e) {
    if (!(e instanceof ApiError) || !e.retryable) return endLive(l, e);
  }
  if (l.stopped) return;
  const { annotator, pack } = who ?? l.signIn;
  if (!annotator || !pack) {
    // Never reached the server with this token, and nothing to work on: keep trying.
    const ms = backoffMs(attempt + 1);
    unreachable(`No answer from the collection server. Trying again in ${Math.round(ms / 1000)} s.`);
    l.retry.schedule(() => void connect(l, attempt + 1), ms);
    return;
  }
  if (who && (l.signIn.annotator !== annotator || l.signIn.pack?.name !== pack.name)) keepSignIn(l, { ...l.signIn, annotator, pack, held: [] });
  identified(annotator, pack, who?.study);

  let waiting: OutboxEntry[] = [];
  try {
    waiting = (await listOutbox(annotator)).entries;
  } catch (e) {
    showNotice(`Submissions waiting in this browser could not be read: ${describeStorageError(e)}`, true);
  }
  if (l.stopped) return;
  outboxListed(waiting);
  gather(l.held, waiting, l.signIn);
  counted(l.held.records.size);
  // The server's own records (done in earlier visits or other browsers): now, or once it answers.
  if (who && !(await catchUp(l))) return;

  l.sender = createSender({
    annotator,
    send: (clientId, record) => submit(l.conn, clientId, record),
    onAuthFailure: (e) => endLive(l, e),
    onDelivered: (entry, answer) => delivered(l, entry, answer),
  });
  l.sender.kick();
  if (unsubmitted(l.held, submittedNow(l)).length > 0) await showWork(l);
  await refill(l);
  if (shown(l) || l.stopped || useCollectionStore.getState().phase.kind !== 'connecting') return;
  // No next item (no answer from the server): show the submitted ones, or say why there is nothing.
  if (l.held.items.length > 0) await showWork(l);
  else unreachable(useCollectionStore.getState().waiting ?? 'No item has come from the server yet.');
}

/** The workspaces, on the items held. */
async function showWork(l: Live): Promise<void> {
  await bind(l);
  if (shown(l) && !l.stopped) working();
}

/**
 * Brings in the server's records that this page does not show (earlier visits, other browsers;
 * after a start without the server, once it answers); a newer record here (in the outbox) stays.
 * False when the session ended (the token was refused). Never rejects.
 */
async function catchUp(l: Live): Promise<boolean> {
  l.caughtUp = true;
  let server: MyRecords;
  try {
    server = await mySubmissions(l.conn);
  } catch (e) {
    l.caughtUp = false;
    if (!(e instanceof ApiError) || !e.retryable) endLive(l, e);
    return !l.stopped;
  }
  if (l.stopped) return false;
  const merged = mergeServerRecords(l.held, server.submissions, submittedNow(l), !shown(l));
  counted(l.held.records.size);
  showHeld(l, merged);
  return true;
}

/** Any answer from the server: it is up, so what waited for it goes now. */
function onAnswer(l: Live): void {
  if (!l.caughtUp) void catchUp(l);
  if (useOutboxStore.getState().retryAt !== null) l.sender?.kick();
  if (useCollectionStore.getState().waiting !== null && !l.refilling) {
    l.refillFailures = 0;
    void refill(l);
  }
}

/** Try now instead of waiting for the next retry (a button on the waiting screens). */
export function retryNow(): void {
  const l = currentLive();
  if (!l) return;
  l.retry.cancel();
  l.refillFailures = 0;
  l.sender?.retryRefused();
  if (!l.sender) void connect(l, 0);
  else void refill(l);
}

/** Back to the workspace from the finished screen, to look at (or revise) submitted items. */
export function showSubmitted(): void {
  const l = currentLive();
  if (l && shown(l)) working();
}

/** Forget the token in this browser. The outbox and drafts stay, for the next sign-in as this annotator. Never rejects. */
export async function signOut(): Promise<void> {
  const bound = currentLive()?.bound ?? false;
  stopLive();
  signedOut(null);
  if (bound) await closeSession();
  await clearAnnotatorSignIn().catch((e: unknown) => console.warn('richhf: the sign-in could not be forgotten', e));
}
