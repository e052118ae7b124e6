import { randomInt } from 'node:crypto';
import { Hono } from 'hono';
import { participantsCsv, studyCreateSchema, studyPatchSchema, type Study } from '../../core/formats/studyLead.ts';
import { downloadName } from '../../core/text/fileName.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { participantRows } from '../db/participants.ts';
import { createStudy, listStudies, updateStudy, type StudyWithCounts } from '../db/studies.ts';
import { leadOnly } from '../http/authMiddleware.ts';
import { readBody } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';

const STUDY_LIMIT_BYTES = 16 * 1024;
/** Letters and digits that cannot be misread for each other (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A completion code for a study that did not bring its own: 8 characters, about 40 bits. */
function newCompletionCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function studyJson(ctx: ServerContext, s: StudyWithCounts, token?: string): Study {
  return {
    id: s.id,
    name: s.name,
    open: s.closed_at === null,
    quota: s.quota,
    maxParticipants: s.max_participants,
    completionCode: s.completion_code,
    completionUrl: s.completion_url,
    quality: { ...(s.training !== null ? { training: s.training } : {}), ...(s.gold_every !== null ? { goldEvery: s.gold_every } : {}) },
    createdAt: iso(s.created_at)!,
    closedAt: iso(s.closed_at),
    participants: s.participants,
    completed: s.completed,
    ...(token !== undefined ? { token, url: `${ctx.publicUrl}/?study=${token}` } : {}),
  };
}

/** Which format `GET /export/participants` answers in: `?format=` when given, else CSV when Accept asks for it, else JSON. */
function exportFormat(format: string | undefined, accept: string | undefined): 'csv' | 'json' {
  if (format !== undefined) {
    if (format === 'csv' || format === 'json') return format;
    throw new HttpError(400, `format: must be "csv" or "json", got ${JSON.stringify(format.slice(0, 50))}`, 'format');
  }
  return accept !== undefined && /\btext\/csv\b/i.test(accept) ? 'csv' : 'json';
}

/** The lead's crowd studies: making and changing them, and the participants export. */
export function studyRoutes(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  const one = async (id: string) => {
    const [study] = await listStudies(ctx.db, id);
    if (!study) throw new HttpError(404, `id: no study "${id}"`, 'id');
    return study;
  };

  app.post('/studies', leadOnly, async (c) => {
    const body = await readBody(c, STUDY_LIMIT_BYTES, studyCreateSchema);
    const { token, hash } = ctx.auth.newStudyToken();
    const row = await createStudy(ctx.db, { ...body, completionCode: body.completionCode ?? newCompletionCode() }, hash, ctx.now());
    return c.json({ study: studyJson(ctx, { ...row, participants: 0, completed: 0 }, token) }, 201);
  });

  app.get('/studies', leadOnly, async (c) => c.json({ studies: (await listStudies(ctx.db)).map((s) => studyJson(ctx, s)) }));

  app.get('/studies/:id', leadOnly, async (c) => c.json({ study: studyJson(ctx, await one(c.req.param('id'))) }));

  app.patch('/studies/:id', leadOnly, async (c) => {
    const id = c.req.param('id');
    const patch = await readBody(c, STUDY_LIMIT_BYTES, studyPatchSchema);
    const link = patch.newLink ? ctx.auth.newStudyToken() : undefined;
    if (!(await updateStudy(ctx.db, id, patch, link?.hash, ctx.now()))) throw new HttpError(404, `id: no study "${id}"`, 'id');
    ctx.progress.changed();
    return c.json({ study: studyJson(ctx, await one(id), link?.token) });
  });

  app.delete('/studies/:id', leadOnly, async (c) => {
    const id = c.req.param('id');
    if (!(await updateStudy(ctx.db, id, { open: false }, undefined, ctx.now()))) throw new HttpError(404, `id: no study "${id}"`, 'id');
    ctx.progress.changed();
    return c.json({ study: studyJson(ctx, await one(id)) });
  });

  // The lead previews the study as a participant: a sign-in link for a participant of their own,
  // whose work never counts (db/participants.ts noteFirstSubmission).
  app.post('/studies/:id/preview', leadOnly, async (c) => {
    const id = c.req.param('id');
    const made = await ctx.auth.preview(id, ctx.now());
    if (!made) throw new HttpError(404, `id: no study "${id}"`, 'id');
    return c.json({ ...made, url: `${ctx.publicUrl}/?invite=${made.token}` }, 201);
  });

  app.get('/export/participants', leadOnly, async (c) => {
    const format = exportFormat(c.req.query('format'), c.req.header('Accept'));
    const study = c.req.query('study');
    if (study !== undefined) await one(study);
    const rows = await participantRows(ctx.db, study);
    if (format === 'json') return c.json({ participants: rows });
    const name = downloadName([ctx.pack.pack.name, study ?? 'all', 'participants'], 'csv');
    return c.body(participantsCsv(rows), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
    });
  });

  return app;
}
