import { Hono } from 'hono';
import { checkRecordAgainstItem } from '../../core/dataset/annotationFileCheck.ts';
import { annotationRecordSchema, isRatingRecord, type AnnotationRecord } from '../../core/formats/annotations.ts';
import { clientIdSchema, type Accepted } from '../../core/formats/api.ts';
import { parseValue, type LocatedError } from '../../core/formats/located.ts';
import type { AppEnv, ServerContext } from '../context.ts';
import { submittedCount } from '../db/annotators.ts';
import { isTrainingItem, nextItem } from '../db/assignment.ts';
import { participantState, type ParticipantState } from '../db/participants.ts';
import type { MeStudy } from '../../core/formats/api.ts';
import { currentRecords, submit } from '../db/submissions.ts';
import { annotatorOf, annotatorOnly, refusedAnnotator } from '../http/authMiddleware.ts';
import { badRequest, check, readJson } from '../http/body.ts';
import { HttpError } from '../http/errors.ts';
import type { ServedComparison, ServedItem } from '../servedPack.ts';
import { criteriaOf } from '../../core/formats/comparison.ts';
import { sideFor } from '../db/comparisonSides.ts';

/** A submission body: points and token lists are bounded by the format (10,000 each), about 0.5 MB of JSON at most. */
export const SUBMISSION_LIMIT_BYTES = 1 << 20;
/** Item ids in one `exclude` at most. */
const MAX_EXCLUDE = 100;

/** What `/next` and `GET /submissions` say about an item: its served id (servedIds.ts), its image as a URL the browser can load. */
export function itemJson(ctx: ServerContext, loaded: ServedItem) {
  const { item, size } = loaded;
  return { id: ctx.ids.toServed(item.id), image: ctx.images.urlFor(loaded, ctx.now()), prompt: item.prompt, width: size?.width ?? null, height: size?.height ?? null };
}

/**
 * What `/next` and `GET /submissions` say about a comparison item: its images as URLs in the
 * item's order, the side drawn for this annotator, and nothing that names a system.
 */
export function comparisonJson(ctx: ServerContext, served: ServedComparison, left: 0 | 1) {
  const { item } = served;
  const now = ctx.now();
  const image = (i: 0 | 1) => ({
    image: ctx.images.comparisonUrlFor(served, i, now),
    width: served.images[i].size?.width ?? null,
    height: served.images[i].size?.height ?? null,
  });
  return { id: item.id, kind: 'compare' as const, prompt: item.prompt, images: [image(0), image(1)] as const, criteria: [...criteriaOf(item)], left };
}

/**
 * `exclude=a,b%2Cc` -> ["a", "b,c"]: the raw query is split on commas before percent-decoding,
 * so an id containing a comma is sent as %2C. The parameter may also be repeated.
 */
export function excludeParam(url: string): Set<string> {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1).split('#', 1)[0]! : '';
  const ids = new Set<string>();
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq) !== 'exclude') continue;
    for (const raw of pair.slice(eq + 1).split(',')) {
      if (raw === '') continue;
      let id: string;
      try {
        id = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        throw new HttpError(400, 'exclude: malformed %-escape', 'exclude');
      }
      ids.add(id);
      if (ids.size > MAX_EXCLUDE) throw new HttpError(400, `exclude: at most ${MAX_EXCLUDE} item ids`, 'exclude');
    }
  }
  return ids;
}

/** The body of POST /submissions: an annotation record plus its clientId; every problem located as in files. */
function parseSubmission(body: unknown): { clientId: string; record: AnnotationRecord } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'request body: must be a JSON object (an annotation record with a clientId)');
  const { clientId, ...rest } = body as Record<string, unknown>;
  const id = parseValue('request body', clientId, clientIdSchema);
  const idError = { file: 'request body', path: 'clientId', message: clientId === undefined ? 'required' : 'must be a UUID' };
  const record = check(rest, annotationRecordSchema);
  if (!id.ok || !record.ok) throw badRequest([...(id.ok ? [] : [idError]), ...(record.ok ? [] : record.errors)]);
  return { clientId: id.value, record: record.value };
}

/** Longest `wait` of `/next`, in seconds: below common proxy idle timeouts (60 s). */
export const MAX_WAIT_S = 30;

/** `wait=S` of `/next` in milliseconds (0 when absent): whole seconds, 0 to MAX_WAIT_S. */
function waitParam(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) > MAX_WAIT_S) throw new HttpError(400, `wait: must be whole seconds from 0 to ${MAX_WAIT_S}`, 'wait');
  return Number(raw) * 1000;
}

/** checkRecordAgainstItem locates problems inside a file (`annotations[0].x`); a body is one record. */
function bodyProblems(errors: LocatedError[]): LocatedError[] {
  return errors.map((e) => ({ ...e, path: e.path.replace(/^annotations\[0\]\.?/, '') }));
}

/** A record's problems against its item: of either kind (a record of the other kind is one), its criteria, its ranges. */
function recordProblems(ctx: ServerContext, loaded: ServedItem | ServedComparison, record: AnnotationRecord): LocatedError[] {
  if (!('ref' in loaded)) return bodyProblems(checkRecordAgainstItem('request body', 0, record, loaded.item, 0));
  const errors = bodyProblems(checkRecordAgainstItem('request body', 0, record, loaded.item, ctx.pack.tokenCount(loaded.item)));
  // A comparison record: checkRecordAgainstItem said it is not of its item's kind.
  if (!isRatingRecord(record)) return errors;
  const { item, size } = loaded;
  // The pack has no size but the image file does: hold records to it, so they agree with each other.
  if (size && item.width === undefined && record.imageWidth !== size.width) {
    errors.push({ file: 'request body', path: 'imageWidth', message: `${record.imageWidth} differs from the width ${size.width} of item "${item.id}"'s image` });
  }
  if (size && item.height === undefined && record.imageHeight !== size.height) {
    errors.push({ file: 'request body', path: 'imageHeight', message: `${record.imageHeight} differs from the height ${size.height} of item "${item.id}"'s image` });
  }
  return errors;
}

/** The answer to a stored submission: on a training item, with its reference (the only place gold is told). */
async function acknowledgement(ctx: ServerContext, annotator: string, loaded: ServedItem | ServedComparison): Promise<Accepted> {
  if (!('ref' in loaded)) return { accepted: true };
  const gold = loaded.item.gold;
  if (gold === undefined || !(await isTrainingItem(ctx.db, annotator, loaded.item.id))) return { accepted: true };
  return { accepted: true, feedback: { reference: gold } };
}

export function annotatorRoutes(ctx: ServerContext): Hono<AppEnv> {
  // Each route names its role check: these sub-apps are mounted beside the lead's on one path.
  const app = new Hono<AppEnv>();

  app.get('/next', annotatorOnly, async (c) => {
    if (c.get('arrivedStopping')) throw new HttpError(503, 'the server is stopping; try again in a moment');
    const annotator = annotatorOf(c.get('identity'));
    // Served ids back to pack ids (a comparison item keeps its own); an id of no item excludes nothing.
    const exclude = new Set([...excludeParam(c.req.url)].flatMap((id) => ctx.ids.toPack(id) ?? (ctx.pack.comparisons.has(id) ? id : [])));
    const waitMs = waitParam(c.req.query('wait'));
    const ask = (now: number) =>
      ctx.db.write(async (tx) => {
        const next = await nextItem(tx, ctx.db.dialect, annotator, exclude, now, ctx.rule);
        // A comparison item: its side for this annotator, in the same transaction (drawn on the first hand-out, then kept).
        if (next.kind !== 'item' || !ctx.pack.comparisons.has(next.itemId)) return { ...next, left: undefined };
        return { ...next, left: await sideFor(tx, annotator, next.itemId, ctx.pack.sideSeed) };
      });
    let result = await ask(ctx.now());
    if (result.kind === 'none' && waitMs > 0) {
      // Long poll: wait for items to come free here (a revoke, a rejection), or for the first of
      // the others' leases to expire, then ask the lease rule again, until `wait` is over.
      const gone = new AbortController();
      c.env.incoming.once('close', () => gone.abort());
      const unregister = ctx.onStop(() => gone.abort());
      try {
        const deadline = Date.now() + waitMs;
        while (result.kind === 'none' && !gone.signal.aborted && Date.now() < deadline) {
          const left = deadline - Date.now();
          await ctx.work.wait(Math.min(left, (result.retryAfterMs ?? left) + 50), gone.signal);
          if (gone.signal.aborted) break;
          result = await ask(ctx.now());
        }
      } finally {
        unregister();
      }
    }
    if (result.kind === 'refused') throw refusedAnnotator(ctx, annotator, result.standing);
    if (result.kind === 'tooMany') {
      throw new HttpError(409, `exclude: you already hold ${result.held} leased items (at most ${ctx.rule.maxLeases}); submit one of them before asking for another`, 'exclude');
    }
    if (result.kind === 'none') {
      if (result.retryAfterMs !== undefined) c.header('Retry-After', String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))));
      return c.body(null, 204);
    }
    ctx.progress.changed();
    const comparison = ctx.pack.comparisons.get(result.itemId);
    if (comparison && result.left !== undefined) return c.json({ item: comparisonJson(ctx, comparison, result.left), leaseExpiresAt: new Date(result.expiresAt).toISOString() });
    const loaded = ctx.pack.items.get(result.itemId);
    if (!loaded) throw new HttpError(500, `item "${result.itemId}" is in the database but not in the pack this server loaded`);
    return c.json({ item: itemJson(ctx, loaded), leaseExpiresAt: new Date(result.expiresAt).toISOString() });
  });

  app.post('/submissions', annotatorOnly, async (c) => {
    if (c.get('arrivedStopping')) throw new HttpError(503, 'the server is stopping; send it again in a moment');
    const annotator = annotatorOf(c.get('identity'));
    const { clientId, record: sent } = parseSubmission(await readJson(c, SUBMISSION_LIMIT_BYTES));
    const packId = ctx.ids.toPack(sent.itemId);
    const loaded = (packId === undefined ? undefined : ctx.pack.items.get(packId)) ?? ctx.pack.comparisons.get(sent.itemId);
    if (!loaded) throw new HttpError(409, `itemId: "${sent.itemId}" is not an item of pack "${ctx.pack.pack.name}", so it was never assigned to you`, 'itemId');
    // Stored and checked under its pack id; messages name the id the annotator sent (a pack id may say "gold").
    const record: AnnotationRecord = { ...sent, itemId: loaded.item.id };
    const problems = recordProblems(ctx, loaded, record).map((p) => ({ ...p, message: p.message.split(`"${loaded.item.id}"`).join(`"${sent.itemId}"`) }));
    if (problems.length > 0) throw badRequest(problems);
    const outcome = await submit(ctx.db, { annotator, clientId, record, sizeKnown: 'ref' in loaded && loaded.size !== undefined }, ctx.now(), ctx.rule);
    switch (outcome.kind) {
      case 'notAssigned':
        throw new HttpError(409, `itemId: item "${sent.itemId}" was never assigned to you; ask for items with GET /api/v1/next`, 'itemId');
      case 'clientIdTaken':
        throw new HttpError(409, 'clientId: already used by another submission; make a new UUID for each submission', 'clientId');
      case 'clientIdReused':
        throw new HttpError(409, 'clientId: already used for a different record of yours (nothing was stored); make a new UUID for each submission', 'clientId');
      case 'refused':
        throw refusedAnnotator(ctx, annotator, outcome.standing);
      case 'sizeMismatch':
        if (!isRatingRecord(record)) throw new Error('a size mismatch for a comparison record');
        throw new HttpError(
          400,
          `imageWidth: ${record.imageWidth}x${record.imageHeight} differs from ${outcome.width}x${outcome.height}, the image size of earlier submissions for item "${sent.itemId}"`,
          'imageWidth',
        );
      case 'sideMismatch':
        throw new HttpError(
          400,
          `left: ${outcome.left === 0 ? 1 : 0} is not the side this server drew for you on item "${record.itemId}" (${outcome.left}: images[${outcome.left}] on the left); answers are turned into the item's terms by the side shown, so the record is refused`,
          'left',
        );
      case 'stored':
        ctx.progress.changed();
        ctx.quality.changed();
        return c.json(await acknowledgement(ctx, annotator, loaded));
      case 'older':
      case 'duplicate':
        // A replay (the first answer was lost) gets the same answer, feedback included.
        return c.json(await acknowledgement(ctx, annotator, loaded));
    }
  });

  app.get('/submissions', annotatorOnly, async (c) => {
    const annotator = annotatorOf(c.get('identity'));
    const records = await currentRecords(ctx.db, annotator);
    const order = ctx.pack.order;
    records.sort((a, b) => (order.get(a.record.itemId) ?? Infinity) - (order.get(b.record.itemId) ?? Infinity));
    const submissions = records.flatMap(({ record }): object[] => {
      const comparison = ctx.pack.comparisons.get(record.itemId);
      if (comparison) return isRatingRecord(record) ? [] : [{ item: comparisonJson(ctx, comparison, record.left), record }];
      const loaded = ctx.pack.items.get(record.itemId);
      return loaded && isRatingRecord(record) ? [{ item: itemJson(ctx, loaded), record: { ...record, itemId: ctx.ids.toServed(record.itemId) } }] : [];
    });
    return c.json({ annotator, pack: ctx.pack.pack.name, submissions });
  });

  return app;
}

export async function meJson(ctx: ServerContext, annotator: string | undefined) {
  const p = ctx.pack.pack;
  const pack = { name: p.name, annotatorsPerItem: p.annotatorsPerItem, items: p.items.length, ...(p.instructions !== undefined ? { instructions: p.instructions } : {}) };
  if (annotator === undefined) return { role: 'lead' as const, pack };
  const [submitted, participant] = await Promise.all([submittedCount(ctx.db, annotator), participantState(ctx.db, annotator)]);
  return { role: 'annotator' as const, annotator, pack, submitted, ...(participant ? { study: meStudy(participant) } : {}) };
}

/** A participant's study in GET /me: the completion code and URL only once the server recorded them complete. */
function meStudy(p: ParticipantState): MeStudy {
  const base = { id: p.studyId, name: p.studyName, quota: p.quota };
  if (p.completedAt === null) return { ...base, completed: false };
  const url = p.completionUrl === null ? {} : { completionUrl: p.completionUrl.replaceAll('{code}', encodeURIComponent(p.completionCode)) };
  return { ...base, completed: true, completedAt: new Date(p.completedAt).toISOString(), completionCode: p.completionCode, ...url };
}
