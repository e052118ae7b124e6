import { compareCodeUnits } from '../text/compare.ts';

/**
 * "The newer record wins": the one rule for two records of one annotator on one item, wherever
 * they meet (several records in files, a revision sent to the server, an imported file, the
 * server's copy against the browser's outbox). The later `submittedAt` instant wins; equal
 * instants are decided by the records' JSON in code-unit order (the greater wins), so the
 * outcome never depends on the order the records arrive in. Records that are equal as JSON
 * are the same record.
 */
export interface Dated {
  readonly submittedAt: string;
}

/** > 0 when `a` is newer than `b`, < 0 when older, 0 when they are the same record. */
export function compareRecordAge(a: Dated, b: Dated): number {
  const ta = Date.parse(a.submittedAt);
  const tb = Date.parse(b.submittedAt);
  if (ta !== tb) return ta > tb ? 1 : -1;
  return compareCodeUnits(JSON.stringify(a), JSON.stringify(b));
}

/** True when `a` should replace `b` (strictly newer; the same record does not replace itself). */
export function isNewer(a: Dated, b: Dated): boolean {
  return compareRecordAge(a, b) > 0;
}

/** The record that wins of two (either, when they are the same). */
export function newest<T extends Dated>(a: T, b: T): T {
  return compareRecordAge(a, b) >= 0 ? a : b;
}
