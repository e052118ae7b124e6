import { Hono } from 'hono';
import { stream, streamSSE } from 'hono/streaming';
import * as z from 'zod/mini';
import { buildAnnotationFile } from '../../core/dataset/annotationFile.ts';
import { downloadName } from '../../core/text/fileName.ts';
import { idSchema } from '../../core/formats/common.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { readProgress } from '../db/progress.ts';
import { annotatorExists } from '../db/annotators.ts';
import { currentRecords } from '../db/submissions.ts';
import { leadOnly } from '../http/authMiddleware.ts';
import { badRequest, readBody } from '../http/body.ts';
import { reservedInviteIds } from '../db/studies.ts';
import { STUDY_ANNOTATOR_PREFIX } from '../../core/formats/studyLead.ts';
import { HttpError } from '../http/errors.ts';
import { planDatasetExport } from '../exportDataset.ts';
import { exportComparison } from '../exportComparison.ts';
import { exportParquet } from '../exportParquet.ts';
import { packAnswerPieces } from '../packAnswer.ts';

class ExportAborted extends Error {}

export const INVITES_LIMIT_BYTES = 256 * 1024;
const MAX_INVITES = 1000;
/** A comment line on the event stream this often keeps proxies from closing an idle connection. */
const KEEPALIVE_MS = 15_000;

const invitesSchema = z.strictObject({
  annotators: z.array(idSchema).check(
    z.minLength(1, 'must name at least one annotator'),
    z.maxLength(MAX_INVITES, `at most ${MAX_INVITES} annotators at once`),
    z.superRefine((ids, ctx) => {
      const seen = new Map<string, number>();
      ids.forEach((id, i) => {
        const first = seen.get(id);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate id "${id}" (first at annotators[${first}])`, input: id });
        else seen.set(id, i);
      });
    }),
  ),
});

/**
 * A `progress` event of the stream, encoded once for all the streams that send it (one change
 * reaches every stream with the same JSON; 500 streams would otherwise encode it 500 times).
 */
let lastEvent: { readonly json: string; readonly bytes: Uint8Array } | undefined;
function progressEvent(json: string): Uint8Array {
  if (lastEvent?.json !== json) lastEvent = { json, bytes: new TextEncoder().encode(`event: progress\ndata: ${json}\n\n`) };
  return lastEvent.bytes;
}

/** `attachment; filename="…"` safe for any annotator id (RFC 6266 / 5987). */
function attachment(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function leadRoutes(ctx: ServerContext): Hono<AppEnv> {
  // Each route names its role check: these sub-apps are mounted beside the annotator's on one path.
  const app = new Hono<AppEnv>();
  const k = ctx.pack.pack.annotatorsPerItem;

  app.post('/invites', leadOnly, async (c) => {
    const { annotators } = await readBody(c, INVITES_LIMIT_BYTES, invitesSchema);
    const reserved = await reservedInviteIds(ctx.db, annotators);
    if (reserved.size > 0) {
      throw badRequest(
        annotators.flatMap((id, i) =>
          reserved.has(id)
            ? [
                {
                  file: 'request body',
                  path: `annotators[${i}]`,
                  message: `"${id}": ids starting with "${STUDY_ANNOTATOR_PREFIX}" are kept for crowd-study participants; choose another id`,
                },
              ]
            : [],
        ),
      );
    }
    const invites = await ctx.auth.invite(annotators, ctx.now());
    ctx.progress.changed();
    ctx.quality.changed();
    return c.json({ invites: invites.map((i) => ({ annotator: i.annotator, token: i.token, url: `${ctx.publicUrl}/?invite=${i.token}` })) }, 201);
  });

  app.delete('/invites/:annotator', leadOnly, async (c) => {
    const annotator = c.req.param('annotator');
    const result = await ctx.auth.revoke(annotator, ctx.now(), k);
    if (!result.found) throw new HttpError(404, `annotator: no annotator "${annotator}" was invited`, 'annotator');
    ctx.progress.changed();
    ctx.work.freed();
    return c.json({ annotator, revoked: true, releasedLeases: result.releasedLeases });
  });

  app.get('/progress', leadOnly, async (c) => c.json(await readProgress(ctx.db, k, ctx.now())));

  app.get('/progress/stream', leadOnly, (c) =>
    streamSSE(c, async (sse) => {
      // Ends when the client goes away, a write fails, or the server stops.
      let end!: () => void;
      const ended = new Promise<void>((resolve) => (end = resolve));
      sse.onAbort(end);
      const unregister = ctx.onStop(end);
      const keepalive = setInterval(() => void sse.write(': keepalive\n\n').catch(end), KEEPALIVE_MS).unref();
      let unsubscribe: (() => void) | undefined;
      try {
        unsubscribe = await ctx.progress.subscribe((_p, json) => void sse.write(progressEvent(json)).catch(end));
        await ended;
      } finally {
        clearInterval(keepalive);
        unsubscribe?.();
        unregister();
      }
    }),
  );

  app.get('/export/annotations', leadOnly, async (c) => {
    const annotator = c.req.query('annotator');
    if (annotator === undefined || annotator === '') throw new HttpError(400, 'annotator: required (the annotator whose file to export)', 'annotator');
    if (!(await annotatorExists(ctx.db, annotator))) throw new HttpError(404, `annotator: no annotator "${annotator}" was invited`, 'annotator');
    // Accepted submissions, the file the dataset is made of; `include=rejected` adds the rejected ones (evidence).
    const include = c.req.query('include');
    if (include !== undefined && include !== 'rejected') throw new HttpError(400, 'include: must be "rejected" (or left out)', 'include');
    const records = await currentRecords(ctx.db, annotator, include === 'rejected' ? 'all' : 'accepted');
    const file = buildAnnotationFile(
      annotator,
      ctx.pack.pack,
      records.map((r) => r.record),
      ctx.pack.order,
    );
    c.header('Content-Disposition', attachment(downloadName([ctx.pack.pack.name, annotator], 'json')));
    return c.body(JSON.stringify(file, null, 2) + '\n', 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });

  app.get('/export/dataset', leadOnly, async (c) => {
    const plan = planDatasetExport(ctx.pack.pack, await currentRecords(ctx.db, undefined, 'accepted'), ctx.pack.order);
    if (!plan.ok) {
      throw new HttpError(
        500,
        `the stored submissions do not consolidate: ${plan.errors
          .slice(0, 5)
          .map((e) => `${e.file}: ${e.path}: ${e.message}`)
          .join('; ')}`,
      );
    }
    c.header('Content-Type', 'application/json; charset=utf-8');
    c.header('Content-Disposition', attachment(downloadName([ctx.pack.pack.name, 'dataset'], 'json')));
    return stream(
      c,
      async (out) => {
        await plan.write(async (chunk) => {
          // The client went away: stop rendering (the pool's threads are closed on the way out).
          if (out.aborted) throw new ExportAborted();
          await out.write(chunk);
        });
      },
      async (e) => {
        if (!(e instanceof ExportAborted)) ctx.log(JSON.stringify({ time: new Date().toISOString(), event: 'export failed', message: e.message }));
      },
    );
  });

  app.get('/export/parquet', leadOnly, exportParquet(ctx));

  app.get('/export/comparison', leadOnly, exportComparison(ctx));

  app.get('/pack', leadOnly, (c) => {
    const now = ctx.now();
    c.header('Content-Type', 'application/json; charset=utf-8');
    return stream(c, async (out) => {
      const comparisonUrls = (id: string) => {
        const served = ctx.pack.comparisons.get(id)!;
        return [ctx.images.comparisonUrlFor(served, 0, now), ctx.images.comparisonUrlFor(served, 1, now)] as const;
      };
      for (const piece of packAnswerPieces(ctx.pack.pack, (id) => ctx.images.urlFor(ctx.pack.items.get(id)!, now), comparisonUrls)) {
        if (out.aborted) return;
        await out.write(piece);
        // Other requests run between pieces, even when the client reads as fast as we write.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    });
  });

  return app;
}
