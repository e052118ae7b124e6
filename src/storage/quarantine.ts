/**
 * Stored values that cannot be read back are set aside, not deleted and not skipped in place:
 * each is moved, untouched and with the reason, into the `quarantine` store, so that it stays
 * recoverable and no longer stands in the way (a later write under its key would overwrite it).
 * The move re-reads the value in its transaction and leaves it alone if it has become readable.
 */
import { openDb, STORES, type StoreName } from './db.ts';
import { quarantinedRecord, QUARANTINED_VERSION, type Quarantined } from './records/quarantined.ts';
import { restoreRecord, type StoredRecordType } from './storedRecord.ts';

export type StoreKey = string | string[];

/** A value found unreadable: where it is, what kind it should be, and why it is not. */
export interface Unreadable {
  readonly store: Exclude<StoreName, 'quarantine'>;
  readonly key: StoreKey;
  readonly type: StoredRecordType<unknown>;
  readonly reason: string;
}

/**
 * Every readable value of `rows` (in order) as its kind's current version, and the rest as
 * `Unreadable` for `setAside`.
 */
export function restoreRows<T>(
  store: Unreadable['store'],
  type: StoredRecordType<T>,
  rows: readonly { key: StoreKey; value: unknown }[],
): { values: T[]; unreadable: Unreadable[] } {
  const values: T[] = [];
  const unreadable: Unreadable[] = [];
  for (const { key, value } of rows) {
    const r = restoreRecord(type, value);
    if (r.ok) values.push(r.value);
    else unreadable.push({ store, key, type: type as StoredRecordType<unknown>, reason: r.reason });
  }
  return { values, unreadable };
}

/** Move each value that is still unreadable to the quarantine store, all in one transaction. */
export async function setAside(items: readonly Unreadable[]): Promise<void> {
  if (items.length === 0) return;
  const db = await openDb();
  const stores = [...new Set(items.map((i) => i.store))];
  const tx = db.transaction([...stores, STORES.quarantine], 'readwrite');
  const at = new Date().toISOString();
  for (const item of items) {
    // The key's type follows the store; idb types each store's key separately.
    const store = tx.objectStore(item.store) as unknown as { get(k: StoreKey): Promise<unknown>; delete(k: StoreKey): Promise<void> };
    const value = await store.get(item.key);
    if (value === undefined || restoreRecord(item.type, value).ok) continue;
    const record: Quarantined = { version: QUARANTINED_VERSION, store: item.store, key: item.key, value, reason: item.reason, setAsideAt: at };
    await tx.objectStore(STORES.quarantine).add(record);
    await store.delete(item.key);
  }
  await tx.done;
}

/** Everything set aside so far, oldest first. */
export async function listSetAside(): Promise<Quarantined[]> {
  const all = await (await openDb()).getAll(STORES.quarantine);
  // Quarantined records are read like any other; one that is unreadable itself stays where it is.
  return all.flatMap((v) => {
    const r = restoreRecord(quarantinedRecord, v);
    return r.ok ? [r.value] : [];
  });
}
