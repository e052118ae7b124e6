/**
 * A crowd study participant's completion code, on the finished screen. It is shown only when
 * both hold: this browser's stored outbox holds nothing of theirs (and nothing waits in memory
 * that could not be stored), and the server says it recorded them complete (GET /me). The
 * outbox indicator is not asked: what counts is what is stored and what the server
 * acknowledged. Until then the screen says what it waits for, and the session keeps trying:
 * each acknowledgement asks for the next item, which brings the finished screen back here.
 */
import { listOutbox } from '../../storage/outbox.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { ApiError, me } from './api.ts';
import { backoffMs } from './backoff.ts';
import { completionIs, identified, useCollectionStore } from './collectionStore.ts';
import { refill } from './itemSupply.ts';
import { endLive, type Live } from './live.ts';
import { useOutboxStore } from './outboxStore.ts';

const attempts = new WeakMap<Live, number>();

/** Look again later: ask for an item (which, with nothing left, comes back here), after a backoff. */
function later(l: Live): void {
  const n = (attempts.get(l) ?? 0) + 1;
  attempts.set(l, n);
  l.retry.schedule(() => void refill(l), backoffMs(n));
}

/** Called on the finished screen (nothing left for them now). Never rejects. */
export async function checkCompletion(l: Live): Promise<void> {
  const { annotator, study, completion } = useCollectionStore.getState();
  if (!annotator || !study || l.stopped || completion.kind === 'complete') return;
  let stored: number;
  try {
    stored = (await listOutbox(annotator)).entries.length;
  } catch (e) {
    completionIs({ kind: 'notYet', message: `what waits in this browser could not be read (${describeStorageError(e)})` });
    return later(l);
  }
  const inMemory = useOutboxStore.getState().waiting;
  if (l.stopped) return;
  if (stored > 0 || inMemory > 0) {
    completionIs({ kind: 'waiting', count: Math.max(stored, inMemory) });
    return later(l);
  }
  try {
    const answer = await me(l.conn);
    if (l.stopped) return;
    if (answer.annotator !== undefined) identified(answer.annotator, answer.pack, answer.study ?? null);
    const s = answer.study;
    if (s?.completed && s.completionCode !== undefined) {
      attempts.delete(l);
      completionIs({ kind: 'complete', code: s.completionCode, url: s.completionUrl ?? null });
      return;
    }
    completionIs({ kind: 'notYet', message: null });
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'auth') return endLive(l, e);
    completionIs({ kind: 'notYet', message: e instanceof Error ? e.message : String(e) });
  }
  later(l);
}
