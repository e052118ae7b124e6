/**
 * The one place that opens the app's IndexedDB database. What is saved where (each record's
 * shape, version and migrations are in `records/`, named after it):
 * - `drafts`: the annotator's unfinished work on an item, key [annotator, pack, itemId].
 * - `submitted`: submitted annotation records, key [annotator, pack, itemId].
 * - `sessions`: per annotator+pack progress (item, tool, zoom and pan), key [annotator, pack].
 * - `reviewFiles`: annotation files imported on the review page, key [pack, fileName].
 * - `settings`: small values under the keys in SETTINGS_KEYS.
 * - `quarantine`: stored values that could not be read back, set aside with the reason
 *   (auto-increment key): kept, never deleted by the app.
 * - `outbox`: submissions on their way to the collection server, key clientId (outbox.ts):
 *   deleted only after the server's 200.
 * - `comparisons`: an annotator's work on a pack of comparison items opened in the page (the
 *   answers given, submitted or not, and where they are), key [annotator, pack]
 *   (records/comparisonWork.ts).
 *
 * WARNING: the database name, the store names and the settings keys are part of every user's
 * stored work. Renaming one loses data; add an upgrade step below instead.
 *
 * A new store: add its name to STORES and to RichhfDb, an upgrade
 * step that creates it, a record file in `records/` (schema, version, migrations), and a module
 * that reads through `restoreRecord` and writes through a `createWriteQueue()` queue, so that
 * `whenStorageIdle()` (writeQueue.ts) waits for it too.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';

export const DB_NAME = 'richhf-studio';

export const STORES = {
  drafts: 'drafts',
  submitted: 'submitted',
  sessions: 'sessions',
  reviewFiles: 'reviewFiles',
  settings: 'settings',
  quarantine: 'quarantine',
  outbox: 'outbox',
  comparisons: 'comparisons',
} as const;
export type StoreName = (typeof STORES)[keyof typeof STORES];

/** Keys of the `settings` store. */
export const SETTINGS_KEYS = {
  /** The annotator who worked in this browser last (an id string). */
  lastAnnotator: 'lastAnnotator',
  /** The task pack opened from disk last (records/localPack.ts). */
  localPack: 'localPack',
  /** The lead's review settings (validated by src/features/review/settings.ts). */
  review: 'review',
  /** The annotator signed in to the collection server (records/signIn.ts). */
  annotatorSignIn: 'annotatorSignIn',
  /** The lead signed in to the collection server (records/signIn.ts). */
  leadSignIn: 'leadSignIn',
} as const;

/** Values are checked when read, through the record types in `records/`. */
export interface RichhfDb extends DBSchema {
  drafts: { key: [string, string, string]; value: unknown };
  submitted: { key: [string, string, string]; value: unknown };
  sessions: { key: [string, string]; value: unknown };
  reviewFiles: { key: [string, string]; value: unknown };
  settings: { key: string; value: unknown };
  quarantine: { key: number; value: unknown };
  outbox: { key: string; value: unknown };
  comparisons: { key: [string, string]; value: unknown };
}

type Upgrade = (db: IDBPDatabase<RichhfDb>, tx: IDBPTransaction<RichhfDb, StoreNames<RichhfDb>[], 'versionchange'>) => void;

/**
 * `UPGRADES[n]` turns a database of version n into version n + 1; opening runs every step from
 * the stored version up, in one transaction. Append only: a step, once released, never changes.
 */
const UPGRADES: readonly Upgrade[] = [
  // 0 -> 1: the first stores.
  (db) => {
    db.createObjectStore(STORES.drafts);
    db.createObjectStore(STORES.submitted);
    db.createObjectStore(STORES.sessions);
    db.createObjectStore(STORES.reviewFiles);
    db.createObjectStore(STORES.settings);
  },
  // 1 -> 2: unreadable records are set aside instead of being skipped.
  (db) => {
    db.createObjectStore(STORES.quarantine, { autoIncrement: true });
  },
  // 2 -> 3: the outbox of submissions for the collection server.
  (db) => {
    db.createObjectStore(STORES.outbox);
  },
  // 3 -> 4: nothing to change in the stores; session records are version 2 (their zoom names its
  // layout), which an older app would set aside: it refuses this database instead.
  () => {},
  // 4 -> 5: comparison work (issue 18).
  (db) => {
    db.createObjectStore(STORES.comparisons);
  },
];

export const DB_VERSION = UPGRADES.length;

let dbPromise: Promise<IDBPDatabase<RichhfDb>> | null = null;

/**
 * The open database. A failure (storage refused, or a database newer than this app: a
 * VersionError) rejects, and the next call tries again.
 */
export function openDb(): Promise<IDBPDatabase<RichhfDb>> {
  if (dbPromise) return dbPromise;
  // `indexedDB.open` may throw at once (storage turned off): that is a rejection here too.
  const opening = Promise.resolve().then(() => open());
  dbPromise = opening;
  opening.catch(() => {
    if (dbPromise === opening) dbPromise = null;
  });
  return opening;
}

function open(): Promise<IDBPDatabase<RichhfDb>> {
  const opening: Promise<IDBPDatabase<RichhfDb>> = openDB<RichhfDb>(DB_NAME, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (let v = oldVersion; v < DB_VERSION; v++) UPGRADES[v]!(db, tx);
    },
    blocking() {
      // Another tab wants a newer version: close so it can upgrade; the next call reopens.
      // Only an open connection is asked to step aside: `opening` has resolved.
      opening.then(
        (db) => db.close(),
        () => undefined,
      );
      dbPromise = null;
    },
    terminated() {
      // The browser closed the connection (storage cleared, disk error): reopen on the next call.
      dbPromise = null;
    },
  });
  return opening;
}

/** Close the connection (tests do this before deleting the database); the next call reopens. */
export async function closeDb(): Promise<void> {
  const p = dbPromise;
  dbPromise = null;
  if (p) (await p.catch(() => null))?.close();
}
