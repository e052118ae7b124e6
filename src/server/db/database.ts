import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import Database from 'libsql';
import pg from 'pg';
import type { Schema, Tx } from './schema.ts';

/**
 * The one owner of the database connection. `--db` is an SQLite file (embedded, the default)
 * or a `postgres://` URL; everything above this module runs the same Kysely code on both.
 *
 * Writes go through `write()`, which is where the two differ:
 * - SQLite: one connection, one writer. Writes that arrive together are run as one
 *   `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint (a failing one rolls back alone), so one
 *   fsync (synchronous=FULL) makes a whole batch durable: group commit.
 * - PostgreSQL: each write is its own READ COMMITTED transaction on a pooled connection, retried
 *   when PostgreSQL aborts it for a deadlock or a serialization failure (it then did nothing).
 */
export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly dialect: DialectName;
  readonly kysely: Kysely<Schema>;
  /** Where the data is, for messages: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Runs `fn` in a write transaction; resolves once it is durably committed. `fn` must only touch `tx`. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Waits for queued writes, then closes the connection(s). */
  close(): Promise<void>;
}

/** A database that cannot be opened, with a message for the person who started the server. */
export class DatabaseOpenError extends Error {}

export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** `postgres://user:secret@host/db` -> `postgres://user@host/db`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

export async function openDatabase(db: string): Promise<Db> {
  return isPostgresUrl(db) ? openPostgres(db) : openSqlite(db);
}

// --- SQLite -------------------------------------------------------------------------------

/** Statements are prepared once per SQL text; the server runs a few dozen distinct ones. */
function cachingDatabase(raw: Database.Database): SqliteDatabase {
  const cache = new Map<string, ReturnType<Database.Database['prepare']>>();
  return {
    prepare(text) {
      let st = cache.get(text);
      if (!st) {
        st = raw.prepare(text);
        if (cache.size > 500) cache.clear();
        cache.set(text, st);
      }
      return st as unknown as ReturnType<SqliteDatabase['prepare']>;
    },
    close: () => raw.close(),
  };
}

async function openSqlite(file: string): Promise<Db> {
  const location = path.resolve(file);
  let raw: Database.Database;
  try {
    // timeout 0: a database locked by another process is refused at once, not waited for.
    raw = new Database(location, { timeout: 0 });
    // EXCLUSIVE before WAL: the first write takes the file lock and this process keeps it until it
    // exits (the OS drops it even on kill -9), so a second `richhf serve` cannot open the file.
    // WAL then needs no shared-memory index, and readers never block the writer.
    raw.pragma('locking_mode = EXCLUSIVE');
    raw.pragma('journal_mode = WAL');
    // FULL: every commit is fsynced before it is acknowledged, so an acknowledged submission
    // survives a power cut too (NORMAL in WAL mode survives a crashed process, not a crashed OS).
    // Group commit (SqliteWriter) keeps this affordable.
    raw.pragma('synchronous = FULL');
    raw.exec('BEGIN IMMEDIATE; COMMIT');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new DatabaseOpenError(
        `${location} is in use by another process (another richhf serve?); stop it first. Several servers on one database need PostgreSQL (--db postgres://…).`,
      );
    }
    throw new DatabaseOpenError(`${location}: cannot open the database: ${(e as Error).message}`);
  }
  const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
  const writer = new SqliteWriter(kysely);
  return {
    dialect: 'sqlite',
    kysely,
    location,
    write: (fn) => writer.enqueue(fn),
    async close() {
      await writer.idle();
      await kysely.destroy();
    },
  };
}

interface Job {
  readonly fn: (tx: Tx) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Most jobs per transaction; bounds how long one commit holds the connection. */
const MAX_BATCH = 256;

/**
 * Group commit for SQLite. A batch starts on the next turn of the event loop after a write is
 * queued (setImmediate), so every request parsed in the same turn joins it; the next batch
 * waits for another turn, letting more requests arrive while one is being fsynced.
 */
class SqliteWriter {
  private queue: Job[] = [];
  private running = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly kysely: Kysely<Schema>) {}

  enqueue<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async drain(): Promise<void> {
    const jobs = this.queue.splice(0, MAX_BATCH);
    let outcomes: Outcome[];
    try {
      outcomes = await this.kysely.connection().execute((conn) => runBatch(conn, jobs));
    } catch (e) {
      outcomes = jobs.map(() => ({ ok: false, error: e }));
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
    if (this.queue.length > 0) {
      setImmediate(() => void this.drain());
    } else {
      this.running = false;
      for (const w of this.waiters.splice(0)) w();
    }
  }
}

async function runBatch(conn: Tx, jobs: readonly Job[]): Promise<Outcome[]> {
  await sql`begin immediate`.execute(conn);
  const outcomes: Outcome[] = [];
  try {
    for (const job of jobs) {
      await sql`savepoint job`.execute(conn);
      try {
        outcomes.push({ ok: true, value: await job.fn(conn) });
        await sql`release job`.execute(conn);
      } catch (error) {
        await sql`rollback to job`.execute(conn);
        await sql`release job`.execute(conn);
        outcomes.push({ ok: false, error });
      }
    }
    await sql`commit`.execute(conn);
  } catch (e) {
    await sql`rollback`.execute(conn).catch(() => undefined);
    throw e;
  }
  return outcomes;
}

// --- PostgreSQL ---------------------------------------------------------------------------

/** int8 (counts, epoch milliseconds) as numbers: every value we store is below 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs after which PostgreSQL has rolled the transaction back and a retry is safe. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;

async function openPostgres(url: string): Promise<Db> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`${location}: cannot connect to PostgreSQL: ${(e as Error).message}`);
  }
  const kysely = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  let inFlight = 0;
  let onIdle: (() => void) | undefined;
  return {
    dialect: 'postgres',
    kysely,
    location,
    async write(fn) {
      inFlight++;
      try {
        for (let attempt = 1; ; attempt++) {
          try {
            return await kysely.transaction().execute(fn);
          } catch (e) {
            const code = (e as { code?: string }).code;
            if (!(code && RETRYABLE.has(code)) || attempt >= MAX_ATTEMPTS) throw e;
          }
        }
      } finally {
        if (--inFlight === 0) onIdle?.();
      }
    },
    async close() {
      if (inFlight > 0) await new Promise<void>((resolve) => (onIdle = resolve));
      await kysely.destroy();
    },
  };
}
