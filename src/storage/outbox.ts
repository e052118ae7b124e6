/**
 * The outbox: submissions for the collection server, kept in IndexedDB (`outbox` store, key
 * clientId) from the moment the annotator presses Submit until the server answers 200. The
 * sender (features/collection/outboxSender.ts) reads and deletes entries through this module;
 * nothing else removes them. Writes run in the annotator's work order (annotatorWork.ts), so
 * `whenSaved()` and `whenStorageIdle()` cover them.
 */
import { openDb, STORES } from './db.ts';
import { inWorkOrder } from './annotatorWork.ts';
import { restoreRows, setAside } from './quarantine.ts';
import { outboxEntryRecord, type OutboxEntry } from './records/outboxEntry.ts';

/** The entry is stored and the item's draft dropped in one transaction: never one without the other. */
export function addToOutbox(entry: OutboxEntry): Promise<void> {
  return inWorkOrder(async () => {
    const db = await openDb();
    const tx = db.transaction([STORES.outbox, STORES.drafts], 'readwrite');
    await Promise.all([
      tx.objectStore(STORES.outbox).put(entry, entry.clientId),
      tx.objectStore(STORES.drafts).delete([entry.annotator, entry.pack, entry.record.itemId]),
      tx.done,
    ]);
  });
}

/**
 * The waiting entries (of one annotator, if given), oldest first. An entry that cannot be read
 * back is set aside in the quarantine store (never deleted) and counted in `setAside`.
 */
export async function listOutbox(annotator?: string): Promise<{ entries: OutboxEntry[]; setAside: number }> {
  const db = await openDb();
  const tx = db.transaction(STORES.outbox, 'readonly');
  const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
  const { values: entries, unreadable } = restoreRows(
    STORES.outbox,
    outboxEntryRecord,
    keys.map((key, i) => ({ key, value: values[i] })),
  );
  if (unreadable.length > 0) await inWorkOrder(() => setAside(unreadable));
  const mine = annotator === undefined ? entries : entries.filter((e) => e.annotator === annotator);
  mine.sort((a, b) => a.queuedAt - b.queuedAt || (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
  return { entries: mine, setAside: unreadable.length };
}

/** After the server's 200 only. */
export function removeFromOutbox(clientId: string): Promise<void> {
  return inWorkOrder(async () => (await openDb()).delete(STORES.outbox, clientId));
}

/** Keeps (or clears, with undefined) the server's refusal on the entry; a missing entry stays missing. */
export function setRefusal(clientId: string, refusal: OutboxEntry['refusal']): Promise<void> {
  return inWorkOrder(async () => {
    const db = await openDb();
    const tx = db.transaction(STORES.outbox, 'readwrite');
    const found = restoreRows(STORES.outbox, outboxEntryRecord, [{ key: clientId, value: await tx.store.get(clientId) }]).values[0];
    if (found) {
      const { refusal: _old, ...rest } = found;
      await tx.store.put(refusal ? { ...rest, refusal } : rest, clientId);
    }
    await tx.done;
  });
}
