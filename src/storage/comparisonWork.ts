/**
 * An annotator's work on a pack of comparison items (records/comparisonWork.ts), saved as they
 * go, read back when the page opens the pack again. A value that cannot be read is set aside
 * (quarantine), and the work starts again from nothing rather than over it.
 */
import { openDb, STORES } from './db.ts';
import { restoreRows, setAside } from './quarantine.ts';
import { COMPARISON_WORK_VERSION, comparisonWorkRecord, type ComparisonWork } from './records/comparisonWork.ts';
import { createWriteQueue } from './writeQueue.ts';

const writes = createWriteQueue();

export type { ComparisonWork } from './records/comparisonWork.ts';

export function emptyComparisonWork(): ComparisonWork {
  return { version: COMPARISON_WORK_VERSION, submitted: [], drafts: [], index: 0 };
}

/** Resolves once stored. */
export function saveComparisonWork(annotator: string, pack: string, work: ComparisonWork): Promise<void> {
  return writes.run(async () => {
    await (await openDb()).put(STORES.comparisons, work, [annotator, pack]);
  });
}

/** The stored work, or null; `setAside` says why a stored value could not be read (it was kept apart). */
export async function loadComparisonWork(annotator: string, pack: string): Promise<{ work: ComparisonWork | null; setAside: string | null }> {
  const key: [string, string] = [annotator, pack];
  const value = await (await openDb()).get(STORES.comparisons, key);
  if (value === undefined) return { work: null, setAside: null };
  const { values, unreadable } = restoreRows(STORES.comparisons, comparisonWorkRecord, [{ key, value }]);
  if (unreadable.length > 0) {
    await writes.run(() => setAside(unreadable));
    return { work: null, setAside: unreadable[0]!.reason };
  }
  return { work: values[0]!, setAside: null };
}
