import { createHash, randomBytes } from 'node:crypto';
import { MAX_TOKEN_LENGTH, TOKEN68 } from '../../core/formats/api.ts';

/**
 * Tokens: 256 random bits, base64url (43 characters), sent as `Authorization: Bearer …` and
 * stored only as their SHA-256, so a copy of the database lets nobody sign in. A plain hash is
 * enough (no salt, no slow hash): the tokens are random, not passwords a person chose. Only the
 * auth service (authService.ts) makes and hashes tokens.
 */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer TOKEN` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return m && m[1]!.length <= MAX_TOKEN_LENGTH && TOKEN68.test(m[1]!) ? m[1] : undefined;
}

/**
 * A lead token a person chose (RICHHF_LEAD_TOKEN) must be one a browser can send: bearer-token
 * characters only, and long enough not to be guessed. 16 characters of the token alphabet are
 * over 90 bits when chosen at random; a generated token has 43.
 */
export const MIN_LEAD_TOKEN_LENGTH = 16;

/** Why `token` cannot be the lead's token, or undefined when it can. */
export function leadTokenProblem(token: string): string | undefined {
  if (!TOKEN68.test(token)) {
    return 'may hold only the letters A-Z and a-z, digits and . _ ~ + / - (and = at the end): it is sent as "Authorization: Bearer TOKEN", where spaces and other characters cannot go';
  }
  if (token.length < MIN_LEAD_TOKEN_LENGTH) return `is ${token.length} characters long; use at least ${MIN_LEAD_TOKEN_LENGTH} (or leave it unset: a random one is made)`;
  if (token.length > MAX_TOKEN_LENGTH) return `is ${token.length} characters long; at most ${MAX_TOKEN_LENGTH}`;
  return undefined;
}
