import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { newToken, tokenHash, type Identity, type Refusal } from '../auth.ts';
import { releaseLeasesOf } from '../assignment.ts';
import type { Db } from './database.ts';
import { SETTING } from './schema.ts';

/** Lead and annotator tokens, and the server's image-URL secret: who may do what. */

export type LeadToken =
  /** From RICHHF_LEAD_TOKEN. */
  | { readonly source: 'env'; readonly hash: string }
  /** Generated now, on the first start: the only time it can be shown. */
  | { readonly source: 'generated'; readonly hash: string; readonly token: string }
  /** Generated on an earlier start (or by another server on the same database). */
  | { readonly source: 'stored'; readonly hash: string };

export async function leadToken(db: Db, fromEnv: string | undefined): Promise<LeadToken> {
  if (fromEnv !== undefined && fromEnv !== '') return { source: 'env', hash: tokenHash(fromEnv) };
  return db.write(async (tx) => {
    const row = await tx.selectFrom('settings').select('value').where('key', '=', SETTING.leadTokenHash).executeTakeFirst();
    if (row) return { source: 'stored', hash: row.value };
    const token = newToken();
    const hash = tokenHash(token);
    await tx.insertInto('settings').values({ key: SETTING.leadTokenHash, value: hash }).execute();
    return { source: 'generated', hash, token };
  });
}

/** The key image URLs are signed with; shared through the database by every server on it. */
export async function imageUrlSecret(db: Db): Promise<Buffer> {
  return db.write(async (tx) => {
    const row = await tx.selectFrom('settings').select('value').where('key', '=', SETTING.imageUrlSecret).executeTakeFirst();
    if (row) return Buffer.from(row.value, 'hex');
    const secret = randomBytes(32);
    await tx
      .insertInto('settings')
      .values({ key: SETTING.imageUrlSecret, value: secret.toString('hex') })
      .execute();
    return secret;
  });
}

export type Authentication = { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly refusal: Refusal };

/** How long a valid annotator token is trusted without asking the database again. */
export const TOKEN_CACHE_MS = 10_000;
const TOKEN_CACHE_MAX = 10_000;

/**
 * Who a token belongs to. Valid annotator tokens are remembered for TOKEN_CACHE_MS (one
 * database read saved on nearly every request); this server forgets them at once when the lead
 * re-invites or revokes, other servers on a shared PostgreSQL within TOKEN_CACHE_MS. Refusals
 * are never cached, so random tokens cannot fill the memory.
 */
export class Authenticator {
  private readonly cache = new Map<string, { identity: Identity; until: number }>();
  /** Bumped by forget(), so a read that raced with a revocation is not cached. */
  private generation = 0;

  constructor(
    private readonly db: Db,
    private readonly leadHash: string,
  ) {}

  async authenticate(token: string, now = Date.now()): Promise<Authentication> {
    const hash = tokenHash(token);
    if (hash === this.leadHash) return { ok: true, identity: { role: 'lead' } };
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return { ok: true, identity: hit.identity };
    const generation = this.generation;
    const row = (
      await sql<{
        annotator: string;
        revoked_at: number | null;
        revoked_reason: string | null;
      }>`select annotator, revoked_at, revoked_reason from invite_tokens where hash = ${hash}`.execute(this.db.kysely)
    ).rows[0];
    if (!row) return { ok: false, refusal: 'unknown' };
    if (row.revoked_at !== null) return { ok: false, refusal: row.revoked_reason === 'replaced' ? 'replaced' : 'revoked' };
    const identity: Identity = { role: 'annotator', annotator: row.annotator };
    if (generation !== this.generation) return { ok: true, identity };
    if (this.cache.size >= TOKEN_CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { identity, until: now + TOKEN_CACHE_MS });
    return { ok: true, identity };
  }

  /** Forgets every cached token of these annotators (their tokens were just replaced or revoked). */
  forget(annotators: readonly string[]): void {
    this.generation++;
    const who = new Set(annotators);
    for (const [hash, entry] of this.cache) if (entry.identity.role === 'annotator' && who.has(entry.identity.annotator)) this.cache.delete(hash);
  }
}

export interface Invite {
  readonly annotator: string;
  readonly token: string;
}

/** One fresh token per annotator; an existing annotator's earlier tokens stop working (and a revoked one is let back in). */
export async function createInvites(db: Db, annotators: readonly string[], now: number): Promise<Invite[]> {
  const invites = annotators.map((annotator) => ({ annotator, token: newToken() }));
  await db.write(async (tx) => {
    for (const { annotator, token } of invites) {
      await tx
        .insertInto('annotators')
        .values({ id: annotator, created_at: now, revoked_at: null, last_seen_at: null })
        .onConflict((oc) => oc.column('id').doUpdateSet({ revoked_at: null }))
        .execute();
      await tx.updateTable('invite_tokens').set({ revoked_at: now, revoked_reason: 'replaced' }).where('annotator', '=', annotator).where('revoked_at', 'is', null).execute();
      await tx
        .insertInto('invite_tokens')
        .values({ hash: tokenHash(token), annotator, created_at: now, revoked_at: null, revoked_reason: null })
        .execute();
    }
  });
  return invites;
}

/** Revokes an annotator's tokens and releases their live leases; their submissions stay. False when unknown. */
export async function revokeAnnotator(db: Db, annotator: string, now: number, k: number): Promise<{ found: boolean; releasedLeases: number }> {
  return db.write(async (tx) => {
    const found = await tx.updateTable('annotators').set({ revoked_at: now }).where('id', '=', annotator).executeTakeFirst();
    if (Number(found.numUpdatedRows) === 0) return { found: false, releasedLeases: 0 };
    await tx.updateTable('invite_tokens').set({ revoked_at: now, revoked_reason: 'revoked' }).where('annotator', '=', annotator).where('revoked_at', 'is', null).execute();
    return { found: true, releasedLeases: await releaseLeasesOf(tx, annotator, k) };
  });
}
