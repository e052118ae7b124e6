/**
 * Submit on a collection server, and what follows it. In order:
 * 1. the workspace's Submit (annotate/session.ts `submitCurrent`, or the pair workspace's,
 *    compare/pairStore.ts `submitPair`) hands the record here;
 * 2. it is counted at once (outboxStore.ts), then stored in the outbox with a clientId made once
 *    for it (the same transaction drops the item's draft), and the sender is woken;
 * 3. the next item is asked for (the annotator holds HOLD in hand);
 * 4. when the server acknowledges it (200), `delivered` runs: the place for whatever must follow
 *    an acknowledged submission (an item freed for /next, feedback on a training item).
 */
import { isServerComparison, type Accepted } from '../../core/formats/api.ts';
import type { AnnotationRecord } from '../../core/formats/index.ts';
import { addToOutbox } from '../../storage/outbox.ts';
import type { OutboxEntry } from '../../storage/records/outboxEntry.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { showNotice } from '../annotate/workspaceStore.ts';
import { newClientId } from './clientId.ts';
import { counted, useCollectionStore } from './collectionStore.ts';
import { refill } from './itemSupply.ts';
import { keepHeld, type Live } from './live.ts';
import { outboxQueued } from './outboxStore.ts';
import { chooseView } from './workspaceBinding.ts';
import { feedbackArrived } from './trainingFeedbackStore.ts';

/** Into the outbox, then to the server. Never rejects: a record the browser cannot keep is sent from memory, and the annotator told. */
export async function submitToOutbox(l: Live, record: AnnotationRecord): Promise<void> {
  const item = l.held.items.find((it) => it.id === record.itemId);
  const { annotator, pack } = useCollectionStore.getState();
  if (!item || !annotator || !pack || l.stopped) return;
  const entry: OutboxEntry = { version: 1, clientId: newClientId(), annotator, pack: pack.name, item, record, queuedAt: Date.now() };
  l.held.records.set(record.itemId, record);
  counted(l.held.records.size);
  outboxQueued(entry);
  try {
    await addToOutbox(entry);
  } catch (e) {
    // Not kept in this browser: send it from memory, and say that the tab must stay open.
    l.sender?.hold(entry);
    showNotice(`Item ${record.itemId} could not be kept in this browser (${describeStorageError(e)}); keep this tab open until it is sent.`, true);
  }
  keepHeld(l);
  l.sender?.kick();
  // The next item may be of the other kind (a pack with both): its workspace is shown.
  chooseView(l);
  void refill(l);
}

/** The server acknowledged `entry` (200): it has left the outbox. On a training item the answer carries the reference: shown now. */
export function delivered(l: Live, entry: OutboxEntry, answer: Accepted | void): void {
  const { item, record } = entry;
  // Training items are rating items (gold has no comparison form).
  if (answer?.feedback && !isServerComparison(item) && record.left === undefined) feedbackArrived({ item, record, reference: answer.feedback.reference });
  // A lease is free again on the server: the next item may come now (a 409 waited for this).
  void refill(l);
}
