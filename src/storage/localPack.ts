/**
 * The last task pack an annotator opened from disk (the pack file and the images it uses, as
 * Blobs), so that a reload opens the same pack instead of falling back to the demo. One pack
 * is kept: opening another replaces it; closing it forgets it (the work stays, keyed by pack).
 * Stored under the `settings` store's key LOCAL_PACK_KEY.
 */
import { openDb, STORES } from './db.ts';

export const LOCAL_PACK_KEY = 'localPack';

export interface StoredPackFile {
  readonly path: string;
  readonly blob: Blob;
}

export async function saveLocalPack(files: readonly StoredPackFile[]): Promise<void> {
  const db = await openDb();
  await db.put(STORES.settings, { version: 1, files: files.map(({ path, blob }) => ({ path, blob })) }, LOCAL_PACK_KEY);
}

/** The stored files, or null when there are none (or what is stored is not readable). */
export async function loadLocalPack(): Promise<StoredPackFile[] | null> {
  const v = (await (await openDb()).get(STORES.settings, LOCAL_PACK_KEY)) as { version?: unknown; files?: unknown } | undefined;
  if (!v || v.version !== 1 || !Array.isArray(v.files)) return null;
  const files = v.files.filter(
    (f): f is StoredPackFile => typeof f === 'object' && f !== null && typeof (f as StoredPackFile).path === 'string' && (f as StoredPackFile).blob instanceof Blob,
  );
  return files.length > 0 ? files : null;
}

export async function clearLocalPack(): Promise<void> {
  await (await openDb()).delete(STORES.settings, LOCAL_PACK_KEY);
}
