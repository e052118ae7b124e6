import type { MiddlewareHandler } from 'hono';
import { REFUSAL_MESSAGES, type Identity } from '../auth/identity.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { HttpError } from './errors.ts';

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="richhf"' };

/** Who is asking, from `Authorization: Bearer …`: 401 (with a message the browser can show) when nobody we know. */
export function signedIn(ctx: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = await ctx.auth.authenticate(c.req.header('Authorization'));
    if (!auth.ok) throw new HttpError(401, REFUSAL_MESSAGES[auth.refusal], undefined, CHALLENGE);
    c.set('identity', auth.identity);
    await next();
  };
}

export const leadOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('identity').role !== 'lead') throw new HttpError(403, 'only the project lead may do this (an annotator token was sent)');
  await next();
};

export const annotatorOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('identity').role !== 'annotator') throw new HttpError(403, 'only annotators may do this: the lead token has no assignments (sign in with an invite link)');
  await next();
};

/**
 * 401 for an annotator whose claim or submission found them no longer active (revoked, perhaps
 * on another server while this one still trusted their token); this server stops trusting it.
 */
export function refusedAnnotator(ctx: ServerContext, annotator: string, standing: 'revoked' | 'unknown'): HttpError {
  ctx.auth.noticeRefused(annotator);
  return new HttpError(401, REFUSAL_MESSAGES[standing], undefined, CHALLENGE);
}

/** The annotator id of a request that passed annotatorOnly. */
export function annotatorOf(identity: Identity): string {
  if (identity.role !== 'annotator') throw new Error('annotatorOf on a lead request');
  return identity.annotator;
}
