/**
 * An annotator's work on a pack in IndexedDB: drafts (unfinished items), submitted records
 * and the session (current item). Keys start with [annotator, pack], so work is kept per
 * annotator and per pack. Writes go through one queue, in order; `whenSaved()` resolves when
 * every write issued so far has committed, including ones held back until the view settles
 * (tests and "saved" indicators wait on it).
 * Everything read back is validated: a bad stored record is skipped, never trusted.
 */
import { annotationRecordSchema, draftSchema, sessionSchema, type AnnotationRecord, type Draft, type Session } from '../core/formats/index.ts';
import { openDb, STORES } from './db.ts';
import { describeStorageError } from './storageError.ts';
import { createWriteQueue } from './writeQueue.ts';

const writes = createWriteQueue();

/** A write in the shared order; a failure is shown by the save indicator (and logged), not thrown. */
function enqueue(write: () => Promise<unknown>, key?: string): Promise<void> {
  return writes.run(write, key).then(() => undefined, report);
}

function report(e: unknown): void {
  console.error('richhf: could not save', e);
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

export interface StoredWork {
  submitted: AnnotationRecord[];
  drafts: Draft[];
  session: Session | null;
}

export async function loadWork(annotator: string, pack: string): Promise<StoredWork> {
  const db = await openDb();
  const tx = db.transaction([STORES.submitted, STORES.drafts, STORES.sessions], 'readonly');
  const [rawSubmitted, rawDrafts, rawSession] = await Promise.all([
    tx.objectStore(STORES.submitted).getAll(range(annotator, pack)),
    tx.objectStore(STORES.drafts).getAll(range(annotator, pack)),
    tx.objectStore(STORES.sessions).get([annotator, pack]),
  ]);
  const submitted = rawSubmitted.flatMap((r) => keep(annotationRecordSchema.safeParse(r), 'submitted record'));
  const drafts = rawDrafts.flatMap((r) => keep(draftSchema.safeParse(r), 'draft'));
  const session = rawSession === undefined ? null : (keep(sessionSchema.safeParse(rawSession), 'session')[0] ?? null);
  return { submitted, drafts, session };
}

function keep<T>(r: { success: true; data: T } | { success: false; error: unknown }, what: string): T[] {
  if (r.success) return [r.data];
  console.warn(`richhf: skipped an unreadable stored ${what}`, r.error);
  return [];
}

export function saveDraft(annotator: string, pack: string, draft: Draft): Promise<void> {
  return enqueue(async () => (await openDb()).put(STORES.drafts, draft, [annotator, pack, draft.itemId]));
}

export function deleteDraft(annotator: string, pack: string, itemId: string): Promise<void> {
  return enqueue(async () => (await openDb()).delete(STORES.drafts, [annotator, pack, itemId]));
}

/** Submitting stores the record and drops the draft in one transaction: never both or neither. */
export function saveSubmitted(annotator: string, pack: string, record: AnnotationRecord): Promise<void> {
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

/** Imported records, in one transaction: all of a file or nothing. */
export function saveSubmittedMany(annotator: string, pack: string, records: readonly AnnotationRecord[]): Promise<void> {
  return enqueue(async () => {
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

const LAST_ANNOTATOR = 'lastAnnotator';

export async function loadLastAnnotator(): Promise<string | null> {
  const v = await (await openDb()).get(STORES.settings, LAST_ANNOTATOR);
  return typeof v === 'string' && v.length > 0 && v.length <= 200 ? v : null;
}

export function saveLastAnnotator(annotator: string): Promise<void> {
  return enqueue(async () => (await openDb()).put(STORES.settings, annotator, LAST_ANNOTATOR));
}
