import { Hono, type Context } from 'hono';
import { acceptRequestSchema, rejectRequestSchema, type DecisionAnswer, type Decisions } from '../../core/formats/apiLead.ts';
import { qualityThresholdsSchema } from '../../core/formats/quality.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { decideAnnotator, decideSubmission, listDecisions, type Decision, type DecisionRecord } from '../db/decisions.ts';
import { leadOnly } from '../http/authMiddleware.ts';
import { readBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';

/** A decision's body: a reason of at most 2,000 characters, with room for JSON escapes. */
const DECISION_LIMIT_BYTES = 16 * 1024;

/** An accept may come without a body (or with `{}`). */
async function acceptBody(c: Context<AppEnv>): Promise<{ reason?: string | undefined }> {
  const length = c.req.header('Content-Length');
  if ((length === undefined || length === '0') && c.req.header('Transfer-Encoding') === undefined) return {};
  return readBody(c, DECISION_LIMIT_BYTES, acceptRequestSchema);
}

/**
 * The lead's quality endpoints (issue 17, README "Quality on the server"): the per-annotator
 * report, the thresholds its flags use, rejecting and accepting annotators and single
 * submissions, and the log of those decisions.
 */
export function qualityRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const k = ctx.pack.pack.annotatorsPerItem;

  app.get('/quality', leadOnly, async (c) => c.json(await ctx.quality.report()));

  app.get('/quality/thresholds', leadOnly, async (c) => c.json(await ctx.quality.thresholds()));

  app.put('/quality/thresholds', leadOnly, async (c) => {
    const thresholds = await readBody(c, DECISION_LIMIT_BYTES, qualityThresholdsSchema);
    await ctx.quality.setThresholds(thresholds);
    return c.json(thresholds);
  });

  app.get('/quality/decisions', leadOnly, async (c) => {
    const decisions = await listDecisions(ctx.db);
    const answer: Decisions = { decisions: decisions.map((d) => ({ ...d, at: new Date(d.at).toISOString() })) };
    return c.json(answer);
  });

  /** After a decision: what changed reaches the dashboard, the report and the annotators waiting for work. */
  const decided = (annotator: string, d: Extract<Decision, { kind: 'done' }>, status: DecisionAnswer['status'], itemId?: string): DecisionAnswer => {
    if (d.changed) {
      ctx.auth.noticeRefused(annotator);
      ctx.quality.changed();
      ctx.progress.changed();
      ctx.work.freed();
    }
    return { annotator, ...(itemId !== undefined ? { itemId } : {}), status, changed: d.changed, items: [...d.items], releasedLeases: d.releasedLeases };
  };

  for (const action of ['reject', 'accept'] as const) {
    app.post(`/annotators/:annotator/${action}`, leadOnly, async (c) => {
      const annotator = c.req.param('annotator');
      const body = action === 'reject' ? await readBody(c, DECISION_LIMIT_BYTES, rejectRequestSchema) : await acceptBody(c);
      const record: DecisionRecord = { action, annotator, itemId: null, reason: body.reason ?? null, decidedBy: 'lead', at: ctx.now() };
      const d = await ctx.db.write((tx) => decideAnnotator(tx, ctx.db.dialect, record, k));
      if (d.kind !== 'done') throw new HttpError(404, `annotator: no annotator "${annotator}" was invited`, 'annotator');
      return c.json(decided(annotator, d, action === 'reject' ? 'rejected' : 'active'));
    });

    app.post(`/submissions/:itemId/:annotator/${action}`, leadOnly, async (c) => {
      const { itemId, annotator } = c.req.param();
      const body = action === 'reject' ? await readBody(c, DECISION_LIMIT_BYTES, rejectRequestSchema) : await acceptBody(c);
      const record = { action, annotator, itemId, reason: body.reason ?? null, decidedBy: 'lead', at: ctx.now() };
      const d = await ctx.db.write((tx) => decideSubmission(tx, ctx.db.dialect, record, k));
      if (d.kind !== 'done') throw new HttpError(404, `no submission of item "${itemId}" by annotator "${annotator}"`, 'itemId');
      return c.json(decided(annotator, d, action === 'reject' ? 'rejected' : 'active', itemId));
    });
  }
  return app;
}
