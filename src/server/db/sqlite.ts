import { statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import Database from 'libsql';
import { DatabaseOpenError, damaged, type DialectDb } from './database.ts';
import { describeLockHolder, removeLockHolder, writeLockHolder } from './lockHolder.ts';
import { prepared } from './prepared.ts';
import type { Schema, Tx } from './schema.ts';

/** SQLite (libsql): one connection, one writer, group commit; see database.ts. */

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
 * Makes committed transactions durable by syncing the WAL file on libuv's thread pool, so
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
    // fdatasync (what SQLite calls for its own syncs on Linux when built with HAVE_FDATASYNC; this
    // libsql build calls fsync): the WAL's bytes and what is needed to read them back (its size,
    // when it grew) reach the disk, only its modification time may not. Once
    // the WAL is reused after a checkpoint it is overwritten in place, so no filesystem journal
    // commit is needed; fsync would force one every time, and on ext4 that commit waits for
    // every other file's pending writes on the disk (measured on this machine beside other
    // jobs: p99 11-17 ms for fdatasync against 26-37 ms for fsync, 16 KiB written per sync).
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** Problems PRAGMA quick_check reports at most (the first is shown, the rest counted). */
const QUICK_CHECK_MAX = 20;

export async function openSqlite(file: string, initialize: boolean): Promise<DialectDb> {
  const location = path.resolve(file);
  // An empty file is not a new database but a lost one (a truncated copy or backup): SQLite
  // would silently start afresh in it. A database this server made is never empty (setting WAL
  // mode writes its first page at once).
  const existing = statSync(location, { throwIfNoEntry: false });
  if (existing?.isFile() && existing.size === 0 && !initialize) {
    const wal = statSync(`${location}-wal`, { throwIfNoEntry: false });
    throw new DatabaseOpenError(
      `${location} is an empty file, not a database (a truncated copy or backup?); nothing was changed. Restore it from a backup to keep earlier work, or pass --init-db to start a new database in it` +
        (wal && wal.size > 0 ? ` (${location}-wal beside it holds ${wal.size} bytes: restore it with the file)` : ''),
    );
  }
  let raw: Database.Database | undefined;
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
    // 64 MiB of page cache (the default is 2 MiB): the pages the claim and the submission touch
    // stay in memory instead of being read again from the OS on every request.
    raw.pragma('cache_size = -65536');
    // Checkpoint once the WAL holds 10,000 pages (40 MiB at 4 KiB) instead of SQLite's 1,000.
    // A checkpoint runs inside a commit, on the event loop: it writes each page changed since
    // the last one to the database file and fsyncs both files. Under steady submissions the
    // same pages (items' counters, annotators, index pages) change in every batch, so ten times
    // fewer checkpoints write far fewer pages and fsync ten times less often: in the server
    // bench, time in commits fell by half and commits over 5 ms by two thirds. Durability does
    // not change: what a checkpoint copies was already durable in the WAL.
    raw.pragma('wal_autocheckpoint = 10000');
    raw.exec('BEGIN IMMEDIATE; COMMIT');
  } catch (e) {
    raw?.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new DatabaseOpenError(`${location} is in use ${describeLockHolder(location)}. Several servers on one database need PostgreSQL (--db postgres://…).`);
    }
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damaged(location, `not an SQLite database, or its first page is damaged: ${(e as Error).message}`);
    throw new DatabaseOpenError(`${location}: cannot open the database: ${(e as Error).message}`);
  }
  // Every page's structure checked once, so damage is found now and not by an export weeks later
  // (quick_check: the b-trees and their pages, without matching indexes to tables; about a second
  // per 100 MB).
  let problems: string[];
  try {
    problems = (raw.pragma(`quick_check(${QUICK_CHECK_MAX})`) as { quick_check: string }[]).map((r) => r.quick_check).filter((p) => p !== 'ok');
  } catch (e) {
    problems = [(e as Error).message];
  }
  if (problems.length > 0) {
    raw.close();
    const more = problems.length > 1 ? `; and ${problems.length - 1}${problems.length === QUICK_CHECK_MAX ? ' or more' : ''} more` : '';
    throw damaged(location, `PRAGMA quick_check: ${problems[0]}${more}`);
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

// Compiled once (prepared.ts): four of these run for every request.
const BEGIN = prepared(() => sql`begin immediate`);
const SAVEPOINT = prepared(() => sql`savepoint job`);
const ROLLBACK_TO = prepared(() => sql`rollback to job`);
const RELEASE = prepared(() => sql`release job`);
const COMMIT = prepared(() => sql`commit`);
const ROLLBACK = prepared(() => sql`rollback`);

async function runBatch(conn: Tx, jobs: readonly Job[]): Promise<Outcome[]> {
  await BEGIN(conn);
  const outcomes: Outcome[] = [];
  try {
    for (const job of jobs) {
      await SAVEPOINT(conn);
      let outcome: Outcome;
      try {
        outcome = { ok: true, value: await job.fn(conn) };
      } catch (error) {
        outcome = { ok: false, error };
        // Some errors (SQLITE_FULL, SQLITE_IOERR) end the whole transaction, savepoints and all:
        // then the batch fails with the job's own error, not with the rollback's.
        await ROLLBACK_TO(conn).catch(() => {
          throw error;
        });
      }
      await RELEASE(conn);
      outcomes.push(outcome);
    }
    await COMMIT(conn);
  } catch (e) {
    await ROLLBACK(conn).catch(() => undefined);
    throw e;
  }
  return outcomes;
}
