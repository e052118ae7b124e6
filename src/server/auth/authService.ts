import type { Platform } from '../../core/formats/study.ts';
import { findToken, leadTokenHash, replaceTokens, revokeAnnotator } from '../db/tokens.ts';
import type { Db } from '../db/database.ts';
import { createPreview, enrolParticipant, type EnrolOutcome } from '../db/studies.ts';
import type { Identity, Refusal } from './identity.ts';
import { bearerToken, newToken, tokenHash } from './tokens.ts';

/**
 * Who may sign in: the one owner of the lead's and the annotators' tokens, of their hashing, and
 * of the cache of valid tokens. Everything that changes who may sign in goes through here, and
 * each such write forgets what the cache holds for the annotators it touched, in the same call:
 * no caller has to remember to. Crowd studies' links are tokens too (hashed the same way), and
 * enrolment through one issues an annotator token like an invite's.
 *
 * Valid annotator tokens are remembered for TOKEN_CACHE_MS (one database read saved on nearly
 * every request). Other servers on a shared PostgreSQL may trust a revoked token that long for
 * reads; claims and submissions check the annotator's standing in their own transaction
 * (db/annotators.ts) and call `noticeRefused`, so no new work is handed out or taken meanwhile.
 * Refusals are never cached, so random tokens cannot fill the memory.
 */
export const TOKEN_CACHE_MS = 10_000;
const TOKEN_CACHE_MAX = 10_000;

export type LeadToken =
  /** From RICHHF_LEAD_TOKEN. */
  | { readonly source: 'env' }
  /** Generated now, on the first start or to replace a lost one (`renewed`): the only time it can be shown. */
  | { readonly source: 'generated'; readonly token: string; readonly renewed: boolean }
  /** Generated on an earlier start (or by another server on the same database). */
  | { readonly source: 'stored' };

export type Authentication = { readonly ok: true; readonly identity: Identity } | { readonly ok: false; readonly refusal: Refusal };

export interface Invite {
  readonly annotator: string;
  readonly token: string;
}

export class AuthService {
  private readonly cache = new Map<string, { identity: Identity; until: number }>();
  /** Bumped by forget(), so a read that raced with a revocation is not cached. */
  private generation = 0;

  private constructor(
    private readonly db: Db,
    private readonly leadHash: string,
  ) {}

  /**
   * The lead's token: RICHHF_LEAD_TOKEN when set (checked by leadTokenProblem before); else the
   * one stored (as a hash) by an earlier start; else, or when `renew` asks for it (a lost
   * token), a new one, stored now and shown once. Other servers on the same database keep the
   * hash they read until they restart.
   */
  static async start(db: Db, leadTokenFromEnv: string | undefined, renew = false): Promise<{ auth: AuthService; lead: LeadToken }> {
    if (leadTokenFromEnv !== undefined && leadTokenFromEnv !== '') return { auth: new AuthService(db, tokenHash(leadTokenFromEnv)), lead: { source: 'env' } };
    const token = newToken();
    const stored = await leadTokenHash(db, renew, tokenHash(token));
    const lead: LeadToken = stored.fresh ? { source: 'generated', token, renewed: stored.replaced } : { source: 'stored' };
    return { auth: new AuthService(db, stored.hash), lead };
  }

  /** Who sent `Authorization: …` (the header as received, or undefined). */
  async authenticate(authorization: string | undefined, now = Date.now()): Promise<Authentication> {
    const token = bearerToken(authorization);
    if (token === undefined) return { ok: false, refusal: 'missing' };
    const hash = tokenHash(token);
    if (hash === this.leadHash) return { ok: true, identity: { role: 'lead' } };
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return { ok: true, identity: hit.identity };
    const generation = this.generation;
    const row = await findToken(this.db, hash);
    if (!row) return { ok: false, refusal: 'unknown' };
    if (row.revoked !== null) return { ok: false, refusal: row.revoked };
    const identity: Identity = { role: 'annotator', annotator: row.annotator };
    if (generation !== this.generation) return { ok: true, identity };
    if (this.cache.size >= TOKEN_CACHE_MAX) this.cache.clear();
    this.cache.set(hash, { identity, until: now + TOKEN_CACHE_MS });
    return { ok: true, identity };
  }

  /** One fresh token per annotator; an existing annotator's earlier tokens stop working (and a revoked one is let back in). */
  async invite(annotators: readonly string[], now: number): Promise<Invite[]> {
    const invites = annotators.map((annotator) => ({ annotator, token: newToken() }));
    try {
      await this.db.write(async (tx) => {
        for (const { annotator, token } of invites) await replaceTokens(tx, annotator, tokenHash(token), now);
      });
    } finally {
      this.forget(annotators);
    }
    return invites;
  }

  /** Revokes an annotator's tokens and releases their live leases; their submissions stay. */
  async revoke(annotator: string, now: number, k: number): Promise<{ found: boolean; releasedLeases: number }> {
    try {
      return await this.db.write((tx) => revokeAnnotator(tx, this.db.dialect, annotator, now, k));
    } finally {
      this.forget([annotator]);
    }
  }

  /** A new study link's token and the hash the database keeps of it. */
  newStudyToken(): { token: string; hash: string } {
    const token = newToken();
    return { token, hash: tokenHash(token) };
  }

  /**
   * Enrols a participant through a study link (or lets one already enrolled back in): on
   * success, a new annotator token for them, working beside any they already have.
   */
  async enrol(studyToken: string, participant: string, platform: Platform, now: number): Promise<EnrolOutcome & { token?: string }> {
    const token = newToken();
    const outcome = await this.db.write((tx) =>
      enrolParticipant(tx, this.db.dialect, { studyHash: tokenHash(studyToken), participant, platform, tokenHash: tokenHash(token), now }),
    );
    return outcome.kind === 'enrolled' ? { ...outcome, token } : outcome;
  }

  /** The lead's next preview of a study (db/studies.ts createPreview) and its token; undefined when there is no such study. */
  async preview(studyId: string, now: number): Promise<{ participant: string; annotator: string; token: string } | undefined> {
    const token = newToken();
    const made = await this.db.write((tx) => createPreview(tx, this.db.dialect, studyId, tokenHash(token), now));
    return made && { ...made, token };
  }

  /** A transaction found this annotator no longer active (revoked on another server): stop trusting their cached tokens here too. */
  noticeRefused(annotator: string): void {
    this.forget([annotator]);
  }

  private forget(annotators: readonly string[]): void {
    this.generation++;
    const who = new Set(annotators);
    for (const [hash, entry] of this.cache) if (entry.identity.role === 'annotator' && who.has(entry.identity.annotator)) this.cache.delete(hash);
  }
}
