/**
 * What the review page keeps in IndexedDB, so a reload shows the same state:
 * - `reviewFiles`: each imported annotation file as the user picked it (a Blob, so the page never
 *   has to hold the text of a large file), key [pack name, file name]. It is validated again
 *   when read back (the schema may have changed; nothing read from storage is trusted more than
 *   a fresh file).
 * - `settings`, key REVIEW_SETTINGS_KEY: the lead's review settings (a versioned object owned
 *   and validated by src/features/review/settings.ts).
 */
import { openDb, STORES } from './db.ts';
import { createWriteQueue } from './writeQueue.ts';

export interface StoredReviewFile {
  readonly pack: string;
  readonly name: string;
  readonly blob: Blob;
  /** ISO 8601 time of the import. */
  readonly importedAt: string;
}

export const REVIEW_SETTINGS_KEY = 'review';

const writes = createWriteQueue();
const queue = writes.run;

/** Writes run one after the other; tests and the UI can wait for them to land (held-back ones included). */
export function pendingReviewWrites(): Promise<void> {
  return writes.idle();
}

/** Every stored file of one pack, in file-name order. */
export async function listReviewFiles(pack: string): Promise<StoredReviewFile[]> {
  const db = await openDb();
  // Keys [pack, name] with a string name sort between [pack] and [pack, []] (arrays sort after strings).
  const values = await db.getAll(STORES.reviewFiles, IDBKeyRange.bound([pack], [pack, []]));
  return values.filter(isStoredFile);
}

function isStoredFile(v: unknown): v is StoredReviewFile {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.pack === 'string' && typeof o.name === 'string' && o.blob instanceof Blob && typeof o.importedAt === 'string';
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

export async function loadReviewSettings(): Promise<unknown> {
  const db = await openDb();
  return db.get(STORES.settings, REVIEW_SETTINGS_KEY);
}

/**
 * Written once `settleMs` pass without another call (slider drags; 0: at once). The promise
 * settles with the write that finally carries these settings or newer ones.
 */
export function saveReviewSettings(settings: unknown, settleMs = 0): Promise<void> {
  const write = async () => {
    const db = await openDb();
    await db.put(STORES.settings, settings, REVIEW_SETTINGS_KEY);
  };
  return settleMs > 0 ? writes.later(REVIEW_SETTINGS_KEY, settleMs, write) : writes.run(write, REVIEW_SETTINGS_KEY);
}
