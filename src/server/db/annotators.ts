import { sql } from 'kysely';
import type { Db } from './database.ts';
import type { Tx } from './schema.ts';

/**
 * Annotators' standing, read where it decides something: inside the transaction of each claim
 * and submission, so that a revocation made by another server on the same database holds at
 * once (the token cache of the auth service may still trust the token for a few seconds).
 *
 * ACTIVE is the one condition for an annotator who may be given work and whose work is taken.
 * A new standing (rejected annotators, issue 17) joins it here and in `Standing`.
 */
const ACTIVE = sql.raw('revoked_at is null');

export type Standing = 'active' | 'revoked' | 'unknown';

/**
 * Marks the annotator seen at `now` when they may still work, and says where they stand. On
 * PostgreSQL this locks their row until the transaction ends, so two requests of one annotator
 * run one after the other (claims and submissions rely on that).
 */
export async function seenIfActive(tx: Tx, annotator: string, now: number): Promise<Standing> {
  const seen = await sql`update annotators set last_seen_at = ${now} where id = ${annotator} and ${ACTIVE}`.execute(tx);
  if (Number(seen.numAffectedRows ?? 0) > 0) return 'active';
  const row = (await sql<{ revoked_at: number | null }>`select revoked_at from annotators where id = ${annotator}`.execute(tx)).rows[0];
  return row ? 'revoked' : 'unknown';
}

/** Counts a first submission of theirs (their `submitted` in progress). */
export async function countFirstSubmission(tx: Tx, annotator: string): Promise<void> {
  await sql`update annotators set submitted = submitted + 1 where id = ${annotator}`.execute(tx);
}

export async function annotatorExists(db: Db, annotator: string): Promise<boolean> {
  return (await db.kysely.selectFrom('annotators').select('id').where('id', '=', annotator).executeTakeFirst()) !== undefined;
}

/** Items with a current record of theirs. */
export async function submittedCount(db: Db, annotator: string): Promise<number> {
  const row = await db.kysely.selectFrom('annotators').select('submitted').where('id', '=', annotator).executeTakeFirst();
  return row ? Number(row.submitted) : 0;
}
