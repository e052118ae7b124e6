/**
 * What the review page keeps in IndexedDB, so a reload shows the same state:
 * - `reviewFiles`: each imported annotation file as the user picked it, key [pack name, file
 *   name]; its shape is records/reviewFile.ts. The file's contents are validated again when read
 *   back (nothing read from storage is trusted more than a fresh file).
 * - `settings`, key SETTINGS_KEYS.review: the lead's review settings (a versioned object owned
 *   and validated by src/features/review/settings.ts).
 */
import { openDb, SETTINGS_KEYS, STORES } from './db.ts';
import { restoreRows, setAside, type StoreKey } from './quarantine.ts';
import { reviewFileRecord, type ReviewFile } from './records/reviewFile.ts';
import { createWriteQueue } from './writeQueue.ts';

export type StoredReviewFile = ReviewFile;

const writes = createWriteQueue();
const queue = writes.run;

/** Writes run one after the other; tests and the UI can wait for them to land (held-back ones included). */
export function pendingReviewWrites(): Promise<void> {
  return writes.idle();
}

/**
 * Every stored file of one pack, in file-name order. A stored value that cannot be read is set
 * aside (quarantine store) and its reason listed in `setAside`, for the lead to be told.
 */
export async function listReviewFiles(pack: string): Promise<{ files: StoredReviewFile[]; setAside: string[] }> {
  const db = await openDb();
  // Keys [pack, name] with a string name sort between [pack] and [pack, []] (arrays sort after strings).
  const range = IDBKeyRange.bound([pack], [pack, []]);
  const tx = db.transaction(STORES.reviewFiles, 'readonly');
  const [keys, values] = await Promise.all([tx.store.getAllKeys(range), tx.store.getAll(range)]);
  const { values: files, unreadable } = restoreRows(
    STORES.reviewFiles,
    reviewFileRecord,
    keys.map((key, i) => ({ key: key as StoreKey, value: values[i] })),
  );
  if (unreadable.length > 0) await queue(() => setAside(unreadable));
  return { files, setAside: unreadable.map((u) => `${String((u.key as string[])[1])}: ${u.reason}`) };
}

export function putReviewFile(file: StoredReviewFile): Promise<void> {
  return queue(async () => {
    const db = await openDb();
    await db.put(STORES.reviewFiles, file, [file.pack, file.name]);
  });
}

export function deleteReviewFile(pack: string, name: string): Promise<void> {
  return queue(async () => {
    const db = await openDb();
    await db.delete(STORES.reviewFiles, [pack, name]);
  });
}

/** Whatever is stored: src/features/review/settings.ts validates it field by field. */
export async function loadReviewSettings(): Promise<unknown> {
  const db = await openDb();
  return db.get(STORES.settings, SETTINGS_KEYS.review);
}

/**
 * Written once `settleMs` pass without another call (slider drags; 0: at once). The promise
 * settles with the write that finally carries these settings or newer ones.
 */
export function saveReviewSettings(settings: unknown, settleMs = 0): Promise<void> {
  const write = async () => {
    const db = await openDb();
    await db.put(STORES.settings, settings, SETTINGS_KEYS.review);
  };
  return settleMs > 0 ? writes.later(SETTINGS_KEYS.review, settleMs, write) : writes.run(write, SETTINGS_KEYS.review);
}
