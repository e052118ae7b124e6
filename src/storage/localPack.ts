/**
 * The last task pack an annotator opened from disk (the pack file and the images it uses, as
 * Blobs), so that a reload opens the same pack instead of falling back to the demo. One pack
 * is kept: opening another replaces it; closing it forgets it (the work stays, keyed by pack).
 * Stored in the `settings` store under SETTINGS_KEYS.localPack; its shape is records/localPack.ts.
 */
import { openDb, SETTINGS_KEYS, STORES } from './db.ts';
import { restoreRows, setAside } from './quarantine.ts';
import { LOCAL_PACK_VERSION, localPackRecord, type LocalPack } from './records/localPack.ts';
import { createWriteQueue } from './writeQueue.ts';

/** Its own queue: the callers await each write and handle its failure themselves. */
const writes = createWriteQueue();

export type StoredPackFile = LocalPack['files'][number];

export function saveLocalPack(files: readonly StoredPackFile[]): Promise<void> {
  const record: LocalPack = { version: LOCAL_PACK_VERSION, files: files.map(({ path, blob }) => ({ path, blob })) };
  return writes.run(async () => {
    await (await openDb()).put(STORES.settings, record, SETTINGS_KEYS.localPack);
  });
}

/**
 * The stored files; `files` is null when none are kept. A stored value that cannot be read is
 * set aside (quarantine store) and its reason returned in `setAside`, for the annotator to be told.
 */
export async function loadLocalPack(): Promise<{ files: StoredPackFile[] | null; setAside: string | null }> {
  const value = await (await openDb()).get(STORES.settings, SETTINGS_KEYS.localPack);
  if (value === undefined) return { files: null, setAside: null };
  const { values, unreadable } = restoreRows(STORES.settings, localPackRecord, [{ key: SETTINGS_KEYS.localPack, value }]);
  if (unreadable.length > 0) {
    await writes.run(() => setAside(unreadable));
    return { files: null, setAside: unreadable[0]!.reason };
  }
  return { files: values[0]!.files, setAside: null };
}

export function clearLocalPack(): Promise<void> {
  return writes.run(async () => (await openDb()).delete(STORES.settings, SETTINGS_KEYS.localPack));
}
