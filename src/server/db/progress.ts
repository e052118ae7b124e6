import { sql } from 'kysely';
import type { Db } from './database.ts';

/** What the lead's dashboard shows: `GET /api/v1/progress` and each event of its stream. */
export interface Progress {
  readonly items: number;
  /** Items with at least K annotators' submissions. */
  readonly completeItems: number;
  /** Current records (one per item and annotator; revisions replace). */
  readonly submissions: number;
  readonly annotators: AnnotatorProgress[];
}

export interface AnnotatorProgress {
  readonly id: string;
  readonly submitted: number;
  /** Live leases now. */
  readonly leased: number;
  /** ISO 8601, their last `next` or submission; null before either. */
  readonly lastSeenAt: string | null;
  /** Median activeMs of their current records (mean of the two middle ones for an even count); null without records. */
  readonly medianActiveMs: number | null;
  readonly revoked: boolean;
}

export async function readProgress(db: Db, k: number, now: number): Promise<Progress> {
  const q = db.kysely;
  const [items, complete, perAnnotator, leases, annotators] = await Promise.all([
    q
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    q
      .selectFrom('items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('submitted', '>=', k)
      .executeTakeFirstOrThrow(),
    q
      .selectFrom('submissions')
      .select(['annotator', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('annotator')
      .execute(),
    q
      .selectFrom('assignments')
      .select(['annotator', (eb) => eb.fn.countAll<number>().as('n')])
      .where(sql<boolean>`submitted = 0 and released = 0`)
      .where('expires_at', '>', now)
      .groupBy('annotator')
      .execute(),
    q.selectFrom('annotators').select(['id', 'last_seen_at', 'revoked_at']).orderBy('id').execute(),
  ]);
  const submitted = new Map(perAnnotator.map((r) => [r.annotator, Number(r.n)]));
  const leased = new Map(leases.map((r) => [r.annotator, Number(r.n)]));
  const medians = await Promise.all(annotators.map((a) => medianActiveMs(db, a.id, submitted.get(a.id) ?? 0)));
  let total = 0;
  for (const n of submitted.values()) total += n;
  return {
    items: Number(items.n),
    completeItems: Number(complete.n),
    submissions: total,
    annotators: annotators.map((a, i) => ({
      id: a.id,
      submitted: submitted.get(a.id) ?? 0,
      leased: leased.get(a.id) ?? 0,
      lastSeenAt: a.last_seen_at === null ? null : new Date(Number(a.last_seen_at)).toISOString(),
      medianActiveMs: medians[i]!,
      revoked: a.revoked_at !== null,
    })),
  };
}

/** The middle one or two of n records, read from the (annotator, active_ms) index. */
async function medianActiveMs(db: Db, annotator: string, n: number): Promise<number | null> {
  if (n === 0) return null;
  const rows = await db.kysely
    .selectFrom('submissions')
    .select('active_ms')
    .where('annotator', '=', annotator)
    .orderBy('active_ms')
    .limit(n % 2 ? 1 : 2)
    .offset((n - 1) >> 1)
    .execute();
  const v = rows.map((r) => Number(r.active_ms));
  return v.length === 2 ? (v[0]! + v[1]!) / 2 : (v[0] ?? null);
}
