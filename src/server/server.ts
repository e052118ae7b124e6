import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { serve } from '@hono/node-server';
import type { LocatedError } from '../core/formats/located.ts';
import { createApp } from './app.ts';
import { AuthService, type LeadToken } from './auth/authService.ts';
import { leadTokenProblem } from './auth/tokens.ts';
import type { ServerContext } from './context.ts';
import { DEFAULT_MAX_LEASES, SweepSchedule, type LeaseRule } from './db/assignment.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrate, type MigrationResult } from './db/migrate.ts';
import { syncPack, type PackSyncResult } from './db/packSync.ts';
import { imageUrlSecret } from './db/settings.ts';
import { DEFAULT_CONNECTION_LIMITS, limitConnections, serverTimeouts, type ConnectionLimits } from './http/connectionLimits.ts';
import { RateLimiter, type RateLimits } from './http/rateLimit.ts';
import { ImageUrls } from './imageUrls.ts';
import { ServedIds } from './servedIds.ts';
import { QualityReports } from './qualityReport.ts';
import { WorkSignal } from './workSignal.ts';
import { ENROL_LIMITS } from './routes/enrolment.ts';
import { loadPack, type ServedPack } from './servedPack.ts';
import { readProgress } from './db/progress.ts';
import { ProgressFeed } from './progressFeed.ts';

/**
 * Starts `richhf serve`: loads the pack, opens and migrates the database, brings the pack
 * into it, and listens. Everything that can be wrong with the inputs is found before the
 * port is opened, and reported as a ServeError (or DatabaseOpenError, DatabaseTooNewError,
 * PackConflictError) with a message for the person who started it.
 */
export interface ServeOptions {
  readonly packFile: string;
  /** SQLite file or postgres:// URL; default `richhf.db` beside the pack. */
  readonly db?: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly leaseMs: number;
  /** The built app; undefined serves the API only. */
  readonly appDir?: string;
  /** How people reach the server (behind a proxy); default http://host:port. */
  readonly publicUrl?: string;
  /** RICHHF_LEAD_TOKEN. */
  readonly leadTokenFromEnv?: string;
  /** Replace the stored lead token with a new one (`--new-lead-token`). */
  readonly newLeadToken?: boolean;
  /** Start a new database in an existing empty SQLite file (`--init-db`). */
  readonly initDb?: boolean;
  readonly maxLeases?: number;
  readonly log?: (line: string) => void;
  readonly now?: () => number;
  /** Milliseconds to let in-flight requests finish on close before connections are cut. */
  readonly closeGraceMs?: number;
  /** Bounds on connections and how long a request may take to arrive (http/connectionLimits.ts). */
  readonly connections?: Partial<ConnectionLimits>;
  /** Bounds on enrolments through study links (routes/enrolment.ts has the defaults). */
  readonly enrolment?: { readonly perStudy?: RateLimits; readonly perAddress?: RateLimits };
}

export class ServeError extends Error {
  constructor(
    message: string,
    readonly errors: readonly LocatedError[] = [],
  ) {
    super(message);
  }
}

export interface RunningServer {
  /** `http://host:port` the server listens on. */
  readonly url: string;
  readonly publicUrl: string;
  readonly port: number;
  readonly lead: LeadToken;
  readonly db: Db;
  readonly pack: ServedPack;
  readonly migration: MigrationResult;
  readonly packSync: PackSyncResult;
  readonly warnings: readonly string[];
  readonly context: ServerContext;
  /** The Node HTTP server (for embedding and tests). */
  readonly http: Server;
  /** Graceful stop: refuse new work, let in-flight requests (and their commits) finish, close the database. */
  close(): Promise<void>;
}

export function defaultDbPath(packFile: string): string {
  return path.join(path.dirname(path.resolve(packFile)), 'richhf.db');
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  // A lead token the browser cannot send would start a server nobody can lead.
  const leadProblem = options.leadTokenFromEnv ? leadTokenProblem(options.leadTokenFromEnv) : undefined;
  if (leadProblem !== undefined) throw new ServeError(`RICHHF_LEAD_TOKEN: ${leadProblem}`);
  const loaded = await loadPack(options.packFile);
  if (!loaded.ok) throw new ServeError(`${options.packFile}: not a valid task pack`, loaded.errors);
  const pack = loaded.pack;
  const now = options.now ?? Date.now;
  const db = await openDatabase(options.db ?? defaultDbPath(options.packFile), { now, initialize: options.initDb });
  let migration: MigrationResult;
  let packSync: PackSyncResult;
  let lead: LeadToken;
  let auth: AuthService;
  let secret: Buffer;
  try {
    migration = await migrate(db);
    packSync = await syncPack(db, pack.pack, options.packFile);
    ({ auth, lead } = await AuthService.start(db, options.leadTokenFromEnv, options.newLeadToken));
    secret = await imageUrlSecret(db);
  } catch (e) {
    await db.close();
    throw e;
  }

  // Items go out under opaque ids exactly when the pack has gold items (servedIds.ts).
  const ids = new ServedIds(pack, secret);
  const rule: LeaseRule = {
    annotatorsPerItem: pack.pack.annotatorsPerItem,
    leaseMs: options.leaseMs,
    maxLeases: options.maxLeases ?? DEFAULT_MAX_LEASES,
    goldKey: secret,
    hasGold: ids.opaque,
    sweeps: new SweepSchedule(),
  };
  const log = options.log ?? ((line: string) => process.stdout.write(line + '\n'));
  let stopping = false;
  const stopCallbacks = new Set<() => void>();
  let publicUrl = '';
  const ctx: ServerContext = {
    db,
    pack,
    rule,
    now,
    auth,
    images: new ImageUrls(secret, undefined, (id) => ids.toServed(id)),
    ids,
    get publicUrl() {
      return publicUrl;
    },
    progress: new ProgressFeed(() => readProgress(db, rule.annotatorsPerItem, now())),
    quality: new QualityReports(db, pack, now),
    work: new WorkSignal(),
    enrolLimits: {
      perStudy: new RateLimiter(options.enrolment?.perStudy ?? ENROL_LIMITS.perStudy),
      perAddress: new RateLimiter(options.enrolment?.perAddress ?? ENROL_LIMITS.perAddress),
    },
    appDir: options.appDir,
    log,
    stopping: () => stopping,
    onStop: (fn) => {
      stopCallbacks.add(fn);
      return () => stopCallbacks.delete(fn);
    },
  };
  const app = createApp(ctx);

  const limits: ConnectionLimits = { ...DEFAULT_CONNECTION_LIMITS, ...options.connections };
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: (req, env) => app.fetch(req, env),
        port: options.port,
        hostname: options.host,
        serverOptions: serverTimeouts(limits),
      },
      () => resolve(s as Server),
    ) as Server;
    // In the same turn as listen(): no connection is accepted before the bounds apply.
    limitConnections(s, limits);
    s.once('error', reject);
  }).catch(async (e: NodeJS.ErrnoException) => {
    await db.close();
    const why = e.code === 'EADDRINUSE' ? 'the port is in use (another server?)' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new ServeError(`cannot listen on ${options.host}:${options.port}: ${why}`);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostForUrl(options.host)}:${port}`;
  publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      stopping = true;
      for (const fn of [...stopCallbacks]) fn();
      stopCallbacks.clear();
      ctx.progress.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Connections close as their last response ends (streams included); the idle ones are
      // closed as they become idle, and whatever is left after the grace period is cut.
      const idle = setInterval(() => server.closeIdleConnections(), 50);
      const grace = new Promise<void>((resolve) => setTimeout(resolve, options.closeGraceMs ?? 10_000).unref());
      await Promise.race([closed, grace]);
      clearInterval(idle);
      server.closeAllConnections();
      await closed;
      await db.close();
    })());

  return { url, publicUrl, port, lead, db, pack, migration, packSync, warnings: loaded.warnings, context: ctx, http: server, close };
}
