/**
 * Sign-ins to the collection server this page came from (records/signIn.ts): the annotator's
 * (token, who, pack, held items) and the lead's (token), each under its settings key. Tokens are
 * kept here and nowhere else in the browser: not in the address bar, not in the history.
 */
import { openDb, SETTINGS_KEYS, STORES } from './db.ts';
import { restoreRows, setAside } from './quarantine.ts';
import { annotatorSignInRecord, leadSignInRecord, type AnnotatorSignIn, type LeadSignIn } from './records/signIn.ts';
import type { StoredRecordType } from './storedRecord.ts';
import { createWriteQueue } from './writeQueue.ts';

const writes = createWriteQueue();

type Key = (typeof SETTINGS_KEYS)['annotatorSignIn' | 'leadSignIn'];

/** The stored value, or null; one that cannot be read back is set aside (you are then signed out). */
async function load<T>(key: Key, type: StoredRecordType<T>): Promise<T | null> {
  const value = await (await openDb()).get(STORES.settings, key);
  if (value === undefined) return null;
  const { values, unreadable } = restoreRows(STORES.settings, type, [{ key, value }]);
  if (unreadable.length > 0) await writes.run(() => setAside(unreadable));
  return values[0] ?? null;
}

function save(key: Key, value: AnnotatorSignIn | LeadSignIn | undefined): Promise<void> {
  return writes.run(async () => {
    const db = await openDb();
    await (value === undefined ? db.delete(STORES.settings, key) : db.put(STORES.settings, value, key));
  });
}

export const loadAnnotatorSignIn = () => load(SETTINGS_KEYS.annotatorSignIn, annotatorSignInRecord);
export const saveAnnotatorSignIn = (v: AnnotatorSignIn) => save(SETTINGS_KEYS.annotatorSignIn, v);
export const clearAnnotatorSignIn = () => save(SETTINGS_KEYS.annotatorSignIn, undefined);

export const loadLeadSignIn = () => load(SETTINGS_KEYS.leadSignIn, leadSignInRecord);
export const saveLeadSignIn = (v: LeadSignIn) => save(SETTINGS_KEYS.leadSignIn, v);
export const clearLeadSignIn = () => save(SETTINGS_KEYS.leadSignIn, undefined);
