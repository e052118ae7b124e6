/** Who a request comes from, and why a token was refused, in words the browser shows as they are. */
export type Identity = { readonly role: 'lead' } | { readonly role: 'annotator'; readonly annotator: string };

/**
 * Why a token was refused. An annotator's own standing (revoked; later rejected, issue 17) is
 * also checked inside each claim and submission (db/annotators.ts), so another server's
 * decision holds at once even when this server still trusts the token.
 */
export type Refusal = 'missing' | 'unknown' | 'revoked' | 'replaced';

export const REFUSAL_MESSAGES: Record<Refusal, string> = {
  missing: 'sign-in required: send the token from your invite link as "Authorization: Bearer TOKEN"',
  unknown: 'this token is not known to this server: ask the project lead for a new invite link',
  revoked: 'this invite was revoked by the project lead; ask them if you should still be working',
  replaced: 'this invite link was replaced by a newer one: use the newest link the project lead sent you',
};
