/**
 * An annotator's work on a pack in IndexedDB: drafts (unfinished items), submitted records
 * and the session (current item). Keys start with [annotator, pack], so work is kept per
 * annotator and per pack. Writes go through one queue, in order; `whenSaved()` resolves when
 * every write issued so far has committed, including ones held back until the view settles
 * (tests and "saved" indicators wait on it).
 * Everything read back is migrated to its current version and validated (records/); a value that
 * cannot be is set aside in the quarantine store and reported, never trusted nor lost.
 */
import { idSchema, type RatingRecord } from '../core/formats/index.ts';
import { openDb, SETTINGS_KEYS, STORES } from './db.ts';
import { restoreRows, setAside, type StoreKey } from './quarantine.ts';
import { draftRecord, type Draft } from './records/draft.ts';
import { sessionRecord, type Session } from './records/session.ts';
import { submittedRecord } from './records/submitted.ts';
import { describeStorageError } from './storageError.ts';
import { createWriteQueue } from './writeQueue.ts';

const writes = createWriteQueue();

/** A write in the shared order; never rejects: a failure is shown by the save indicator (and logged). */
function enqueue(write: () => Promise<unknown>, key?: string): Promise<void> {
  return writes.run(write, key).then(() => undefined, report);
}

function report(e: unknown): void {
  console.error('richhf: could not save', e);
}

/**
 * Runs `write` in the order of the annotator's other writes, and rejects with its failure (the
 * caller decides what to tell). The outbox's Submit drops the item's draft: it must never be
 * overtaken by a save of that draft issued before it.
 */
export function inWorkOrder<T>(write: () => Promise<T>): Promise<T> {
  return writes.run(write);
}

/**
 * Resolves once every write issued so far has committed or failed, held-back ones included
 * (they are started at once): after it, a reload finds everything the page showed.
 */
export function whenSaved(): Promise<void> {
  return writes.idle();
}

/** For the "Saving…" / "Not saved" indicator. */
export function saveState(): { pending: number; error: string | null } {
  const s = writes.status();
  return { pending: s.pending, error: s.error ? describeStorageError(s.error) : null };
}

export function onSaveStateChange(listener: () => void): () => void {
  return writes.subscribe(listener);
}

const range = (annotator: string, pack: string) => IDBKeyRange.bound([annotator, pack, ''], [annotator, pack, '\uffff\uffff']);

/** A stored value that could not be read back and was set aside (moved to the quarantine store). */
export interface SetAsideNote {
  /** What it was, in the annotator's words: "the draft of item 0003". */
  readonly what: string;
  readonly reason: string;
}

export interface StoredWork {
  submitted: RatingRecord[];
  drafts: Draft[];
  session: Session | null;
  /** Values that could not be read back: set aside (not deleted), for the annotator to be told. */
  setAside: SetAsideNote[];
}

/**
 * The annotator's work on a pack, each value migrated to its current version and validated.
 * Unreadable values are moved to the quarantine store (a queued write: `whenSaved()` covers it)
 * and reported in `setAside`.
 */
export async function loadWork(annotator: string, pack: string): Promise<StoredWork> {
  const db = await openDb();
  const tx = db.transaction([STORES.submitted, STORES.drafts, STORES.sessions], 'readonly');
  const submittedStore = tx.objectStore(STORES.submitted);
  const draftStore = tx.objectStore(STORES.drafts);
  const [submittedKeys, submittedValues, draftKeys, draftValues, sessionValue] = await Promise.all([
    submittedStore.getAllKeys(range(annotator, pack)),
    submittedStore.getAll(range(annotator, pack)),
    draftStore.getAllKeys(range(annotator, pack)),
    draftStore.getAll(range(annotator, pack)),
    tx.objectStore(STORES.sessions).get([annotator, pack]),
  ]);
  const rows = (keys: StoreKey[], values: unknown[]) => keys.map((key, i) => ({ key, value: values[i] }));
  const submitted = restoreRows(STORES.submitted, submittedRecord, rows(submittedKeys, submittedValues));
  const drafts = restoreRows(STORES.drafts, draftRecord, rows(draftKeys, draftValues));
  const session = restoreRows(STORES.sessions, sessionRecord, sessionValue === undefined ? [] : [{ key: [annotator, pack], value: sessionValue }]);
  const unreadable = [...submitted.unreadable, ...drafts.unreadable, ...session.unreadable];
  if (unreadable.length > 0) void enqueue(() => setAside(unreadable));
  return {
    submitted: submitted.values,
    drafts: drafts.values,
    session: session.values[0] ?? null,
    setAside: unreadable.map((u) => ({ what: describeKey(u.store, u.key), reason: u.reason })),
  };
}

function describeKey(store: string, key: StoreKey): string {
  const item = Array.isArray(key) ? key[2] : undefined;
  if (store === STORES.drafts) return `the draft of item ${item}`;
  if (store === STORES.submitted) return `the submitted item ${item}`;
  return 'the item and tool you were at';
}

export function saveDraft(annotator: string, pack: string, draft: Draft): Promise<void> {
  return enqueue(async () => (await openDb()).put(STORES.drafts, draft, [annotator, pack, draft.itemId]));
}

/** Submitting stores the record and drops the draft in one transaction: never both or neither. */
export function saveSubmitted(annotator: string, pack: string, record: RatingRecord): Promise<void> {
  return enqueue(async () => {
    const db = await openDb();
    const tx = db.transaction([STORES.submitted, STORES.drafts], 'readwrite');
    await Promise.all([
      tx.objectStore(STORES.submitted).put(record, [annotator, pack, record.itemId]),
      tx.objectStore(STORES.drafts).delete([annotator, pack, record.itemId]),
      tx.done,
    ]);
  });
}

/**
 * Imported records, in one transaction: all of a file or nothing. Unlike the writes above it
 * rejects with its failure, so the import can say that nothing was imported.
 */
export function saveSubmittedMany(annotator: string, pack: string, records: readonly RatingRecord[]): Promise<void> {
  return writes.run(async () => {
    const db = await openDb();
    const tx = db.transaction(STORES.submitted, 'readwrite');
    await Promise.all([...records.map((r) => tx.store.put(r, [annotator, pack, r.itemId])), tx.done]);
  });
}

const sessionKey = (annotator: string, pack: string) => `session\u0000${annotator}\u0000${pack}`;

/** Written at once; it replaces a session write still held back by `saveSessionLater`. */
export function saveSession(annotator: string, pack: string, session: Session): Promise<void> {
  return enqueue(async () => (await openDb()).put(STORES.sessions, session, [annotator, pack]), sessionKey(annotator, pack));
}

/**
 * Written once `delayMs` pass without another session write (zoom and pan settle first: they
 * change many times a second). `whenSaved()` writes it at once.
 */
export function saveSessionLater(annotator: string, pack: string, session: Session, delayMs: number): Promise<void> {
  return writes.later(sessionKey(annotator, pack), delayMs, async () => (await openDb()).put(STORES.sessions, session, [annotator, pack])).then(() => undefined, report);
}

/**
 * The annotator who worked here last, or null. Only a convenience for the sign-in form: a value
 * that is not a valid id is ignored (and replaced at the next start), not set aside.
 */
export async function loadLastAnnotator(): Promise<string | null> {
  const r = idSchema.safeParse(await (await openDb()).get(STORES.settings, SETTINGS_KEYS.lastAnnotator));
  return r.success ? r.data : null;
}

export function saveLastAnnotator(annotator: string): Promise<void> {
  return enqueue(async () => (await openDb()).put(STORES.settings, annotator, SETTINGS_KEYS.lastAnnotator));
}
