import { createHash, randomBytes } from 'node:crypto';

/**
 * Tokens: 256 random bits, base64url (43 characters), sent as `Authorization: Bearer …` and
 * stored only as their SHA-256, so a copy of the database lets nobody sign in. A plain hash is
 * enough (no salt, no slow hash): the tokens are random, not passwords a person chose.
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer TOKEN` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(header);
  return m ? m[1] : undefined;
}

export type Identity = { readonly role: 'lead' } | { readonly role: 'annotator'; readonly annotator: string };

/** Why a token was refused, in words the browser shows as they are. */
export type Refusal = 'missing' | 'unknown' | 'revoked' | 'replaced';

export const REFUSAL_MESSAGES: Record<Refusal, string> = {
  missing: 'sign-in required: send the token from your invite link as "Authorization: Bearer TOKEN"',
  unknown: 'this token is not known to this server: ask the project lead for a new invite link',
  revoked: 'this invite was revoked by the project lead; ask them if you should still be working',
  replaced: 'this invite link was replaced by a newer one: use the newest link the project lead sent you',
};
