import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import Database from 'libsql';
import pg from 'pg';
import { describeLockHolder, removeLockHolder, writeLockHolder } from './lockHolder.ts';
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

/**
 * Statements are prepared once per SQL text (the server runs a few dozen distinct ones), and
 * whether each returns rows is asked once: libsql answers that in native code on every call.
 */
function cachingDatabase(raw: Database.Database): SqliteDatabase {
  type Prepared = ReturnType<SqliteDatabase['prepare']>;
  const cache = new Map<string, Prepared>();
  return {
    prepare(text) {
      let st = cache.get(text);
      if (!st) {
        const native = raw.prepare(text);
        st = {
          reader: native.reader,
          all: (params) => native.all(params),
          run: (params) => native.run(params),
          iterate: (params) => native.iterate(params),
        };
        if (cache.size > 500) cache.clear();
        cache.set(text, st);
      }
      return st;
    },
    close: () => raw.close(),
  };
}

/**
 * Makes committed transactions durable by fsyncing the WAL file on libuv's thread pool, so
 * the event loop never waits for the disk. Commits run with synchronous=NORMAL (no fsync of
 * their own); a batch is acknowledged only after an fsync that started after its commit has
 * finished, which is what synchronous=FULL guarantees, and one fsync serves every batch that
 * committed while the previous one was running (group commit). Checkpoints stay SQLite's
 * business: in WAL mode with NORMAL it syncs the WAL before and the database after each one.
 */
class WalSync {
  private handle: FileHandle | undefined;
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.fsync().finally(() => (this.inFlight = undefined));
      return this.inFlight;
    }
    // The running fsync may have started before our commit: wait for the next one.
    this.queued ??= this.inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = undefined;
        return this.sync();
      });
    return this.queued;
  }

  private async fsync(): Promise<void> {
    if (!this.handle) {
      this.handle = await open(this.walPath, 'r+');
      // The WAL's directory entry must be durable too (the file is created by the first write).
      const dir = await open(path.dirname(this.walPath), 'r');
      await dir.sync().finally(() => dir.close());
    }
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
  }
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
    // NORMAL: a commit does not fsync by itself; WalSync fsyncs the WAL before any write is
    // acknowledged, off the event loop, so acknowledged writes survive a power cut as with FULL.
    raw.pragma('synchronous = NORMAL');
    raw.exec('BEGIN IMMEDIATE; COMMIT');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new DatabaseOpenError(`${location} is in use ${describeLockHolder(location)}. Several servers on one database need PostgreSQL (--db postgres://…).`);
    }
    throw new DatabaseOpenError(`${location}: cannot open the database: ${(e as Error).message}`);
  }
  writeLockHolder(location);
  const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: cachingDatabase(raw) }) });
  const wal = new WalSync(`${location}-wal`);
  const writer = new SqliteWriter(kysely, wal);
  return {
    dialect: 'sqlite',
    kysely,
    location,
    write: (fn) => writer.enqueue(fn),
    // The file lock goes with the process: libsql keeps its connection open while prepared
    // statements are alive (until they are garbage collected), so reopening the same file in
    // the same process may find it locked. `richhf serve` exits after closing.
    async close() {
      await writer.idle();
      await kysely.destroy();
      await wal.close();
      removeLockHolder(location);
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
 * queued (setImmediate), so every request parsed in the same turn joins it; the next batch may
 * run while the previous one's fsync is still going. Jobs are answered in commit order.
 */
class SqliteWriter {
  private queue: Job[] = [];
  private running = false;
  private waiters: (() => void)[] = [];
  /** Batches committed but not yet durable (their fsync is running). */
  private syncing = 0;

  constructor(
    private readonly kysely: Kysely<Schema>,
    private readonly wal: WalSync,
  ) {}

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
    if (!this.running && this.syncing === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wakeIdle(): void {
    if (!this.running && this.syncing === 0) for (const w of this.waiters.splice(0)) w();
  }

  private async drain(): Promise<void> {
    const jobs = this.queue.splice(0, MAX_BATCH);
    let outcomes: Outcome[];
    try {
      outcomes = await this.kysely.connection().execute((conn) => runBatch(conn, jobs));
    } catch (e) {
      outcomes = jobs.map(() => ({ ok: false, error: e }));
    }
    // Durable before anyone hears back; meanwhile the next batch may run.
    this.syncing++;
    const committed = outcomes.some((o) => o.ok);
    const durable = committed ? this.wal.sync() : Promise.resolve();
    void durable
      .then(
        () => {
          jobs.forEach((job, i) => {
            const o = outcomes[i]!;
            if (o.ok) job.resolve(o.value);
            else job.reject(o.error);
          });
        },
        (e: unknown) => {
          for (const job of jobs) job.reject(e);
        },
      )
      .finally(() => {
        this.syncing--;
        this.wakeIdle();
      });
    if (this.queue.length > 0) {
      setImmediate(() => void this.drain());
    } else {
      this.running = false;
      this.wakeIdle();
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
