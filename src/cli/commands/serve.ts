import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatLocatedError } from '../../core/formats/located.ts';
import { DatabaseOpenError, isPostgresUrl } from '../../server/db/database.ts';
import { DatabaseTooNewError } from '../../server/db/migrate.ts';
import { PackConflictError } from '../../server/db/packSync.ts';
import { findOrBuildApp } from '../../node/appBuild.ts';
import { formatDuration, parseDuration } from '../../server/duration.ts';
import { defaultDbPath, ServeError, startServer, type RunningServer } from '../../server/server.ts';
import { positiveInt, readCommandArgs, UsageError } from '../args.ts';
import { EXIT_INVALID, EXIT_OK, type Command, type Io } from '../io.ts';

const HELP = `usage: richhf serve --pack PACK.json [options]

The collection server: hands each item of the pack to K distinct annotators (K = the pack's
annotatorsPerItem), stores their submissions, and serves the app, the pack's images and the
API under /api/v1 (see the README).

options:
  --pack FILE          the task pack (richhf-taskpack) to collect (required)
  --db PATH|URL        an SQLite file (default: richhf.db beside the pack) or a
                       postgres://user@host/db URL (several servers may share one)
  --port N             port to listen on (default 8080; 0 picks a free one)
  --host HOST          address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --lease DURATION     how long an annotator holds an item, e.g. 90s, 30m, 2h (default 30m)
  --app DIR            the built app to serve (default: this checkout's dist/, built
                       first when it is missing or older than its sources)
  --public-url URL     how people reach the server, for invite links (behind a proxy)
  --new-lead-token     replace a lost lead token with a new one (printed once; the old
                       one stops working)
  --init-db            start a new database in an existing empty --db file (an empty
                       file is otherwise refused: it is more likely a lost database)
  -h, --help           this help

environment:
  RICHHF_LEAD_TOKEN    the lead's token (16 to 512 of the characters A-Z a-z 0-9 . _ ~ + / -,
                       sent as a bearer token); without it one is generated on the first
                       start and printed once

exit codes: 0 stopped by SIGTERM or Ctrl-C, 1 invalid input (pack, database), 2 usage error
`;

const OPTIONS = {
  pack: { type: 'string' },
  db: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  lease: { type: 'string' },
  app: { type: 'string' },
  'public-url': { type: 'string' },
  'new-lead-token': { type: 'boolean' },
  'init-db': { type: 'boolean' },
} as const;

function startMessage(s: RunningServer, packFile: string, leaseMs: number, appNote: string | null): string {
  const p = s.pack.pack;
  const lines = [`richhf serve: pack "${p.name}" (${p.items.length} items, ${p.annotatorsPerItem} annotators per item, lease ${formatDuration(leaseMs)}) from ${packFile}`];
  const sync = s.packSync;
  if (sync.added + sync.changed + sync.removed > 0)
    lines.push(`pack changed since the last start: ${sync.added} items added, ${sync.changed} changed, ${sync.removed} removed; all work kept`);
  const migrated = s.migration.from === s.migration.to ? `schema version ${s.migration.to}` : `schema migrated from version ${s.migration.from} to ${s.migration.to}`;
  lines.push(`database: ${s.db.dialect} ${s.db.location} (${migrated})`);
  for (const w of s.warnings) lines.push(`warning: ${w}`);
  if (appNote !== null) lines.push(appNote);
  lines.push(`app: ${s.publicUrl}/`);
  const lead = s.lead;
  const tokenInCurl = lead.source === 'generated' ? lead.token : '$RICHHF_LEAD_TOKEN';
  if (lead.source === 'generated') {
    lines.push(`lead: ${s.publicUrl}/?lead=${lead.token}#/review`);
    lines.push(
      lead.renewed
        ? '  (a new lead token, shown only now; the previous one no longer works)'
        : '  (the lead token is shown only now, on the first start: keep it; set RICHHF_LEAD_TOKEN to choose your own)',
    );
  } else if (lead.source === 'env') {
    lines.push(`lead: ${s.publicUrl}/?lead=$RICHHF_LEAD_TOKEN#/review (the token is RICHHF_LEAD_TOKEN)`);
  } else {
    lines.push(`lead: ${s.publicUrl}/?lead=LEAD_TOKEN#/review, with the lead token printed on the first start (or set RICHHF_LEAD_TOKEN; lost it? --new-lead-token)`);
  }
  lines.push(
    `invites: curl -X POST ${s.publicUrl}/api/v1/invites -H "Authorization: Bearer ${lead.source === 'stored' ? 'LEAD_TOKEN' : tokenInCurl}" -H "Content-Type: application/json" -d '{"annotators": ["alice", "bob"]}'`,
  );
  lines.push(`listening on ${s.url} (Ctrl-C or SIGTERM stops it)`);
  return lines.join('\n') + '\n';
}

/** How often a server started by npm checks that npm is still there (milliseconds). */
const PARENT_CHECK_MS = 500;

export const command: Command = {
  summary: 'serve',
  async run(args, io) {
    const parsed = readCommandArgs('serve', HELP, io, args, OPTIONS, ({ values, positionals }) => {
      if (!values.pack) throw new UsageError('--pack is required');
      if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const leaseMs = values.lease === undefined ? 30 * 60_000 : parseDuration(values.lease);
      if (leaseMs === undefined) throw new UsageError(`--lease must be a duration such as 90s, 30m or 2h, got "${values.lease}"`);
      const port = values.port === undefined ? 8080 : values.port === '0' ? 0 : positiveInt('port', values.port, 65535);
      if (values['public-url'] !== undefined && !/^https?:\/\/[^/]+/.test(values['public-url']))
        throw new UsageError(`--public-url must be an http(s) URL, got "${values['public-url']}"`);
      const newLeadToken = values['new-lead-token'] === true;
      if (newLeadToken && process.env.RICHHF_LEAD_TOKEN) throw new UsageError('--new-lead-token: RICHHF_LEAD_TOKEN is set, so the lead token is already yours to choose');
      const initDb = values['init-db'] === true;
      if (initDb && values.db !== undefined && isPostgresUrl(values.db)) throw new UsageError('--init-db: only for an SQLite file (a new PostgreSQL database needs nothing)');
      return { pack: values.pack, db: values.db, port, host: values.host ?? '127.0.0.1', leaseMs, app: values.app, publicUrl: values['public-url'], newLeadToken, initDb };
    });
    if (!parsed.ok) return parsed.exit;
    const opts = parsed.value;

    // The app first: a URL is printed only once there is a page behind it.
    let appDir: string;
    let appNote: string | null = null;
    if (opts.app !== undefined) {
      if (!existsSync(path.join(opts.app, 'index.html'))) {
        io.err(`richhf serve: --app ${opts.app}: no index.html there (a built app is a folder such as dist/, made by npm run build:app)\n`);
        return EXIT_INVALID;
      }
      appDir = opts.app;
    } else {
      const found = findOrBuildApp((line) => io.out(`richhf serve: ${line}\n`));
      if (!found.ok) {
        io.err(`richhf serve: ${found.message}\n`);
        return EXIT_INVALID;
      }
      appDir = found.dir;
      if (found.warning !== null) appNote = `warning: ${found.warning}`;
      else if (found.builtMs !== null) appNote = `the app was built in ${(found.builtMs / 1000).toFixed(1)} s (${found.dir})`;
    }
    const requestLog = batchedLines(io);
    let server: RunningServer;
    try {
      server = await startServer({
        packFile: opts.pack,
        db: opts.db ?? defaultDbPath(opts.pack),
        host: opts.host,
        port: opts.port,
        leaseMs: opts.leaseMs,
        appDir,
        publicUrl: opts.publicUrl,
        leadTokenFromEnv: process.env.RICHHF_LEAD_TOKEN,
        newLeadToken: opts.newLeadToken,
        initDb: opts.initDb,
        log: requestLog.line,
      });
    } catch (e) {
      return reportStartFailure(e, io, opts.db);
    }
    // Handlers first, then the message: whoever reads "listening on" may send SIGTERM at once.
    const stopped = new Promise<void>((resolve) => {
      const stop = (why: string) => {
        io.err(`richhf serve: ${why}: finishing requests in flight, then stopping\n`);
        process.off('SIGTERM', onTerm);
        process.off('SIGINT', onInt);
        clearInterval(watch);
        void server.close().then(resolve, (e: Error) => {
          io.err(`richhf serve: error while stopping: ${e.message}\n`);
          resolve();
        });
      };
      const onTerm = () => stop('SIGTERM');
      const onInt = () => stop('SIGINT');
      process.on('SIGTERM', onTerm);
      process.on('SIGINT', onInt);
      // npm and npx run a command through `sh -c` and pass SIGTERM and SIGINT to that shell only,
      // which dies without passing them on: started by npm, the server stops when its parent goes.
      const parent = process.ppid;
      const watch =
        process.env.npm_command === undefined
          ? undefined
          : setInterval(() => {
              if (process.ppid !== parent) stop(`its parent process ${parent} (npm) ended`);
            }, PARENT_CHECK_MS);
      watch?.unref();
    });
    io.out(startMessage(server, opts.pack, opts.leaseMs, appNote));
    await stopped;
    requestLog.flush();
    io.err('richhf serve: stopped\n');
    return EXIT_OK;
  },
};

/**
 * The request log's lines, written once per turn of the event loop: one write for all the
 * requests answered in that turn (thousands a second under load), not one each. Standard output
 * is written synchronously when it is a pipe, so fewer writes block the server less.
 */
function batchedLines(io: Io): { line: (line: string) => void; flush: () => void } {
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join('\n') + '\n';
    pending = [];
    io.out(text);
  };
  return {
    line(line) {
      if (pending.push(line) === 1) setImmediate(flush);
    },
    flush,
  };
}

function reportStartFailure(e: unknown, io: Io, db: string | undefined): number {
  if (e instanceof ServeError) {
    for (const x of e.errors) io.err(`${formatLocatedError(x)}\n`);
    io.err(`richhf serve: ${e.message}\n`);
    return EXIT_INVALID;
  }
  if (e instanceof DatabaseOpenError || e instanceof DatabaseTooNewError || e instanceof PackConflictError) {
    io.err(`richhf serve: ${e.message}\n`);
    return EXIT_INVALID;
  }
  const where = db !== undefined && isPostgresUrl(db) ? 'PostgreSQL' : 'the database';
  io.err(`richhf serve: could not start (${where}): ${(e as Error).message}\n`);
  return EXIT_INVALID;
}
