import { sql } from 'kysely';
import type { Db } from './database.ts';
import { prepared } from './prepared.ts';
import type { Tx } from './schema.ts';

/**
 * Annotators' standing, read where it decides something: inside the transaction of each claim
 * and submission, so that a revocation or a rejection made by another server on the same
 * database holds at once (the token cache of the auth service may still trust the token for a
 * few seconds).
 *
 * ACTIVE is the one condition for an annotator who may be given work and whose work is taken:
 * neither revoked (their invite withdrawn) nor rejected (their work judged unreliable, issue
 * 17; undone by an accept). A revoked annotator is told so; a rejected one is thanked (see
 * REFUSAL_MESSAGES).
 */
const ACTIVE = sql.raw('revoked_at is null and rejected_at is null');

export type Standing = 'active' | 'revoked' | 'rejected' | 'unknown';

type StandingRow = { revoked_at: number | null; rejected_at: number | null };
const standingOfRow = (row: StandingRow | undefined): Standing => (!row ? 'unknown' : row.rejected_at !== null ? 'rejected' : row.revoked_at !== null ? 'revoked' : 'active');

/**
 * Where an annotator stands, without marking them seen: the one function sign-in and enrolment
 * checks ask (crowd studies, issue 16, call it too). Rejection is told before revocation: a
 * rejected annotator whose invite was also withdrawn still reads the polite message.
 */
export async function standingOf(tx: Tx | Db['kysely'], annotator: string): Promise<Standing> {
  const row = (await sql<StandingRow>`select revoked_at, rejected_at from annotators where id = ${annotator}`.execute(tx)).rows[0];
  return standingOfRow(row);
}

/**
 * Marks the annotator seen at `now` when they may still work, and says where they stand. On
 * PostgreSQL this locks their row until the transaction ends, so two requests of one annotator
 * run one after the other (claims and submissions rely on that).
 */
const markSeen = prepared((now: number, annotator: string) => sql`update annotators set last_seen_at = ${now} where id = ${annotator} and ${ACTIVE}`);

export async function seenIfActive(tx: Tx, annotator: string, now: number): Promise<Standing> {
  const seen = await markSeen(tx, now, annotator);
  if (Number(seen.numAffectedRows ?? 0) > 0) return 'active';
  return standingOf(tx, annotator);
}

/** Counts a first submission of theirs (their `submitted` in progress). */
const addSubmitted = prepared((annotator: string) => sql`update annotators set submitted = submitted + 1 where id = ${annotator}`);

export async function countFirstSubmission(tx: Tx, annotator: string): Promise<void> {
  await addSubmitted(tx, annotator);
}

export async function annotatorExists(db: Db, annotator: string): Promise<boolean> {
  return (await db.kysely.selectFrom('annotators').select('id').where('id', '=', annotator).executeTakeFirst()) !== undefined;
}

/** Items with a current record of theirs. */
export async function submittedCount(db: Db, annotator: string): Promise<number> {
  const row = await db.kysely.selectFrom('annotators').select('submitted').where('id', '=', annotator).executeTakeFirst();
  return row ? Number(row.submitted) : 0;
}
