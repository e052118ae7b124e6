import { sql } from 'kysely';
import { releaseLeasesOf } from './assignment.ts';
import type { Db } from './database.ts';
import { SETTING, type Tx } from './schema.ts';

/**
 * The stored side of tokens, as SHA-256 hashes: the lead's (a setting) and the annotators'
 * (`invite_tokens`). Only the auth service (../auth/authService.ts) calls these: it makes and
 * hashes the tokens, and forgets what it cached whenever one of these changes who may sign in.
 */

export type StoredToken = { readonly annotator: string; readonly revoked: null | 'revoked' | 'replaced' };

export async function findToken(db: Db, hash: string): Promise<StoredToken | undefined> {
  const row = (
    await sql<{
      annotator: string;
      revoked_at: number | null;
      revoked_reason: string | null;
    }>`select annotator, revoked_at, revoked_reason from invite_tokens where hash = ${hash}`.execute(db.kysely)
  ).rows[0];
  if (!row) return undefined;
  return { annotator: row.annotator, revoked: row.revoked_at === null ? null : row.revoked_reason === 'replaced' ? 'replaced' : 'revoked' };
}

/**
 * The lead token's hash: the stored one, or `candidate` stored now when there is none yet or
 * `renew` asks to replace it (one transaction, so servers starting together agree on one).
 */
export async function leadTokenHash(db: Db, renew: boolean, candidate: string): Promise<{ hash: string; fresh: boolean; replaced: boolean }> {
  return db.write(async (tx) => {
    const row = await tx.selectFrom('settings').select('value').where('key', '=', SETTING.leadTokenHash).executeTakeFirst();
    if (row && !renew) return { hash: row.value, fresh: false, replaced: false };
    if (row) await tx.updateTable('settings').set({ value: candidate }).where('key', '=', SETTING.leadTokenHash).execute();
    else await tx.insertInto('settings').values({ key: SETTING.leadTokenHash, value: candidate }).execute();
    return { hash: candidate, fresh: true, replaced: row !== undefined };
  });
}

/** Makes the annotator if new (and lets a revoked one back in), and makes `hash` their only working token. */
export async function replaceTokens(tx: Tx, annotator: string, hash: string, now: number): Promise<void> {
  await tx
    .insertInto('annotators')
    .values({ id: annotator, created_at: now, revoked_at: null, last_seen_at: null })
    .onConflict((oc) => oc.column('id').doUpdateSet({ revoked_at: null }))
    .execute();
  await tx.updateTable('invite_tokens').set({ revoked_at: now, revoked_reason: 'replaced' }).where('annotator', '=', annotator).where('revoked_at', 'is', null).execute();
  await tx.insertInto('invite_tokens').values({ hash, annotator, created_at: now, revoked_at: null, revoked_reason: null }).execute();
}

/** Revokes an annotator and their tokens and releases their live leases; their submissions stay. */
export async function revokeAnnotator(tx: Tx, dialect: Db['dialect'], annotator: string, now: number, k: number): Promise<{ found: boolean; releasedLeases: number }> {
  const found = await tx.updateTable('annotators').set({ revoked_at: now }).where('id', '=', annotator).executeTakeFirst();
  if (Number(found.numUpdatedRows) === 0) return { found: false, releasedLeases: 0 };
  await tx.updateTable('invite_tokens').set({ revoked_at: now, revoked_reason: 'revoked' }).where('annotator', '=', annotator).where('revoked_at', 'is', null).execute();
  return { found: true, releasedLeases: await releaseLeasesOf(tx, dialect, annotator, k) };
}
