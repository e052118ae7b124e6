/**
 * The one place that opens the app's IndexedDB database. What is saved where:
 * - `drafts`: the annotator's unfinished work on an item, key [annotator, pack, itemId].
 * - `submitted`: submitted annotation records, key [annotator, pack, itemId].
 * - `sessions`: per annotator+pack progress (last item shown), key [annotator, pack].
 * - `reviewFiles`: annotation files imported on the review page, key [pack, fileName].
 * - `settings`: small key/value settings (review thresholds, etc.).
 *
 * WARNING: the database name and the store names are part of every user's stored work.
 * Renaming one loses data; add a new version with a migration in `upgrade` instead.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export const DB_NAME = 'richhf-studio';
export const DB_VERSION = 1;

export const STORES = {
  drafts: 'drafts',
  submitted: 'submitted',
  sessions: 'sessions',
  reviewFiles: 'reviewFiles',
  settings: 'settings',
} as const;

/** Values are plain JSON-like data; their shapes are owned by the modules that store them. */
export interface RichhfDb extends DBSchema {
  drafts: { key: [string, string, string]; value: unknown };
  submitted: { key: [string, string, string]; value: unknown };
  sessions: { key: [string, string]; value: unknown };
  reviewFiles: { key: [string, string]; value: unknown };
  settings: { key: string; value: unknown };
}

let dbPromise: Promise<IDBPDatabase<RichhfDb>> | null = null;

export function openDb(): Promise<IDBPDatabase<RichhfDb>> {
  dbPromise ??= openDB<RichhfDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore(STORES.drafts);
        db.createObjectStore(STORES.submitted);
        db.createObjectStore(STORES.sessions);
        db.createObjectStore(STORES.reviewFiles);
        db.createObjectStore(STORES.settings);
      }
    },
    blocking() {
      // Another tab wants a newer version: close so it can upgrade; the next call reopens.
      void dbPromise?.then((db) => db.close());
      dbPromise = null;
    },
  });
  return dbPromise;
}

/** Close the connection (tests do this before deleting the database); the next call reopens. */
export async function closeDb(): Promise<void> {
  const p = dbPromise;
  dbPromise = null;
  if (p) (await p).close();
}
