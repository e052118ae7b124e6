import { Hono } from 'hono';
import { enrolRequestSchema } from '../../core/formats/study.ts';
import { REJECTED_MESSAGE } from '../../core/formats/api.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { readBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import type { RateLimits } from '../http/rateLimit.ts';

/** An enrolment body is a token, an id and a few platform ids: 8 KiB is plenty. */
const ENROL_LIMIT_BYTES = 8 * 1024;

/**
 * Default bounds on enrolments (each may make an annotator): per client address 10 at once and
 * 10 a minute (a participant needs one, a few more for other browsers), per study 200 at once
 * and 600 a minute (a platform launching a study sends its crowd within minutes). The address
 * is the TCP peer's: behind a reverse proxy every participant shares the proxy's, so the
 * per-study bound is then the one that holds (give the proxy its own per-address limit).
 */
export const ENROL_LIMITS: { readonly perStudy: RateLimits; readonly perAddress: RateLimits } = {
  perAddress: { burst: 10, perMinute: 10 },
  perStudy: { burst: 200, perMinute: 600 },
};

function tooMany(waitMs: number, what: string): HttpError {
  return new HttpError(429, `too many enrolments ${what}; try again in a moment`, undefined, { 'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))) });
}

/** `POST /studies/enrol`: no Authorization header, the study link's token is the permission. */
export function enrolmentRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/studies/enrol', async (c) => {
    if (c.get('arrivedStopping')) throw new HttpError(503, 'the server is stopping; try again in a moment');
    const body = await readBody(c, ENROL_LIMIT_BYTES, enrolRequestSchema);
    const now = ctx.now();
    const address = c.env.incoming.socket.remoteAddress ?? '';
    const addressWait = ctx.enrolLimits.perAddress.take(address, now);
    if (addressWait > 0) throw tooMany(addressWait, 'from your address');
    const studyWait = ctx.enrolLimits.perStudy.take(body.study, now);
    if (studyWait > 0) throw tooMany(studyWait, 'in this study');
    const outcome = await ctx.auth.enrol(body.study, body.participant, body.platform ?? {}, now);
    switch (outcome.kind) {
      case 'unknownStudy':
        throw new HttpError(404, 'study: this study link is not known to this server; check that the whole link was copied, or ask the researcher', 'study');
      case 'closed':
        throw new HttpError(403, 'study: this study is closed and takes no new participants', 'study');
      case 'full':
        throw new HttpError(403, 'study: this study is full', 'study');
      case 'refused':
        if (outcome.standing === 'rejected') throw new HttpError(403, `participant: ${REJECTED_MESSAGE}`, 'participant');
        throw new HttpError(403, 'participant: you were removed from this study by the researcher and cannot continue; contact them if you think this is a mistake', 'participant');
      case 'enrolled':
        if (outcome.isNew) ctx.progress.changed();
        return c.json({ annotator: outcome.annotator, token: outcome.token! }, outcome.isNew ? 201 : 200);
    }
  });
  return app;
}
