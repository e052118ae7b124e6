import path from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv, ServerContext } from './context.ts';
import { databaseHealth } from './db/health.ts';
import { signedIn } from './http/authMiddleware.ts';
import { databaseFault, FAULT_MESSAGES } from './db/faults.ts';
import { FAULT_RETRY_AFTER_S, FaultLog, HttpError, errorBody } from './http/errors.ts';
import { imageOrigins, securityHeaders } from './http/headers.ts';
import { requestLog } from './http/requestLog.ts';
import { packImages } from './servedPack.ts';
import { annotatorRoutes, meJson } from './routes/annotatorRoutes.ts';
import { imageRoutes } from './routes/imageRoutes.ts';
import { enrolmentRoutes } from './routes/enrolment.ts';
import { leadRoutes } from './routes/leadRoutes.ts';
import { qualityRoutes } from './routes/qualityRoutes.ts';
import { studyRoutes } from './routes/studyRoutes.ts';

/**
 * The HTTP app: `/api/v1` (JSON; see the README's API section) and the built browser app from
 * `ctx.appDir`. Every answer carries the security headers; every error is
 * `{"error": {"message", "path"?}}`, never a stack trace.
 */
export function createApp(ctx: ServerContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // First, and synchronously, when the request's header has been read: see AppEnv.
  app.use((c, next) => {
    c.set('arrivedStopping', ctx.stopping());
    return next();
  });
  app.use(requestLog(ctx.log));
  app.use(securityHeaders(imageOrigins(packImages(ctx.pack.pack))));

  const api = new Hono<AppEnv>();
  api.get('/health', async (c) => {
    if (ctx.stopping()) return c.json({ status: 'stopping' }, 503);
    const db = await databaseHealth(ctx.db, ctx.now());
    if (!db.ok) {
      const { ok: _ok, ...problem } = db;
      return c.json({ ...problem, database: ctx.db.dialect }, 503);
    }
    return c.json({ status: 'ok', database: ctx.db.dialect, pack: ctx.pack.pack.name });
  });
  api.route('/images', imageRoutes(ctx));
  // Before the signed-in routes: the study link's token is the permission, not a bearer token.
  api.route('/', enrolmentRoutes(ctx));

  const signed = new Hono<AppEnv>();
  signed.use(signedIn(ctx));
  signed.get('/me', async (c) => {
    const id = c.get('identity');
    return c.json(await meJson(ctx, id.role === 'annotator' ? id.annotator : undefined));
  });
  signed.route('/', annotatorRoutes(ctx));
  signed.route('/', leadRoutes(ctx));
  signed.route('/', qualityRoutes(ctx));
  signed.route('/', studyRoutes(ctx));
  api.route('/', signed);
  api.all('*', (c) => c.json(errorBody(`no such endpoint: ${c.req.method} ${c.req.path}`), 404));
  app.route('/api/v1', api);
  app.all('/api/*', (c) => c.json(errorBody(`no such endpoint: ${c.req.method} ${c.req.path} (the API is under /api/v1)`), 404));

  if (ctx.appDir !== undefined) {
    const root = path.resolve(ctx.appDir);
    app.use(
      '*',
      serveStatic({
        root,
        onFound: (file, c) => {
          // Vite names built assets by content hash: cache them for good; index.html must be revalidated.
          c.header('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      }),
    );
  }
  app.notFound((c) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? c.text('Not found\n', 404) : c.json(errorBody(`no such endpoint: ${c.req.method} ${c.req.path}`), 404)));

  const faults = new FaultLog(ctx.log);
  app.onError((e, c) => {
    const logError = () =>
      ctx.log(JSON.stringify({ time: new Date().toISOString(), event: 'error', method: c.req.method, path: c.req.path, message: (e as Error).message, stack: (e as Error).stack }));
    if (e instanceof HttpError) {
      if (e.status >= 500) logError();
      return c.json(errorBody(e.message, e.path), e.status, e.headers);
    }
    const fault = databaseFault(e);
    if (fault) {
      faults.note(fault, e);
      return c.json(errorBody(FAULT_MESSAGES[fault]), 503, { 'Retry-After': String(FAULT_RETRY_AFTER_S[fault]) });
    }
    logError();
    return c.json(errorBody("internal error; the server's log has the details"), 500);
  });
  return app;
}
