import { sql } from 'kysely';
import type { Progress } from '../../core/formats/apiLead.ts';
import { liveLease } from './assignment.ts';
import type { Db } from './database.ts';

/** What the lead's dashboard shows: `GET /api/v1/progress` and each event of its stream (the contract is core's `progressSchema`). */
export async function readProgress(db: Db, k: number, now: number): Promise<Progress> {
  const q = db.kysely;
  const [items, leases, annotators] = await Promise.all([
    sql<{ n: number; complete: number }>`select (select count(*) from items) as n, (select count(*) from items where submitted >= ${sql.lit(k)}) as complete`.execute(q),
    sql<{ annotator: string; n: number }>`select annotator, count(*) as n from assignments where ${liveLease(now)} group by annotator`.execute(q),
    sql<{
      id: string;
      submitted: number;
      last_seen_at: number | null;
      revoked_at: number | null;
    }>`select id, submitted, last_seen_at, revoked_at from annotators order by id`.execute(q),
  ]);
  const leased = new Map(leases.rows.map((r) => [r.annotator, Number(r.n)]));
  const medians = await medianActiveMs(
    db,
    annotators.rows.map((a) => ({ id: a.id, n: Number(a.submitted) })),
  );
  let total = 0;
  for (const a of annotators.rows) total += Number(a.submitted);
  const counts = items.rows[0]!;
  return {
    items: Number(counts.n),
    completeItems: Number(counts.complete),
    submissions: total,
    annotators: annotators.rows.map((a) => ({
      id: a.id,
      submitted: Number(a.submitted),
      leased: leased.get(a.id) ?? 0,
      lastSeenAt: a.last_seen_at === null ? null : new Date(Number(a.last_seen_at)).toISOString(),
      medianActiveMs: medians.get(a.id) ?? null,
      revoked: a.revoked_at !== null,
    })),
  };
}

/**
 * Each annotator's median activeMs: the middle one or two of their n records, read from the
 * (annotator, active_ms) index, for every annotator in one statement (one round trip on
 * PostgreSQL).
 */
async function medianActiveMs(db: Db, annotators: readonly { id: string; n: number }[]): Promise<Map<string, number>> {
  const parts = annotators
    .filter((a) => a.n > 0)
    .map(
      (a) =>
        sql`select * from (select annotator, active_ms from submissions where annotator = ${a.id} order by active_ms limit ${sql.lit(a.n % 2 ? 1 : 2)} offset ${sql.lit((a.n - 1) >> 1)}) as m`,
    );
  const medians = new Map<string, number>();
  if (parts.length === 0) return medians;
  const rows = (await sql<{ annotator: string; active_ms: number }>`${sql.join(parts, sql` union all `)}`.execute(db.kysely)).rows;
  const values = new Map<string, number[]>();
  for (const r of rows) values.set(r.annotator, [...(values.get(r.annotator) ?? []), Number(r.active_ms)]);
  for (const [id, v] of values) medians.set(id, v.length === 2 ? (v[0]! + v[1]!) / 2 : v[0]!);
  return medians;
}
