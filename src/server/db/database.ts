import type { Kysely } from 'kysely';
import { databaseFault } from './faults.ts';
import type { Schema, Tx } from './schema.ts';
import { openPostgres } from './postgres.ts';
import { openSqlite } from './sqlite.ts';

/**
 * The one owner of the database connection. `--db` is an SQLite file (embedded, the default)
 * or a `postgres://` URL; everything above this module runs the same Kysely code on both.
 *
 * Writes go through `write()`, which is where the two differ:
 * - SQLite (sqlite.ts): one connection, one writer. Writes that arrive together are run as one
 *   `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint (a failing one rolls back alone). Commits
 *   run with synchronous=NORMAL, and the server fsyncs the WAL itself, off the event loop, before
 *   it answers: one fsync makes a whole batch durable (group commit), with the guarantee of
 *   synchronous=FULL.
 * - PostgreSQL (postgres.ts): each write is its own READ COMMITTED transaction on a pooled
 *   connection, retried after a short random pause when PostgreSQL aborts it for a deadlock or a
 *   serialization failure (it then did nothing).
 */
export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  readonly dialect: DialectName;
  readonly kysely: Kysely<Schema>;
  /** Where the data is, for messages: the SQLite file, or the PostgreSQL URL without its password. */
  readonly location: string;
  /** Runs `fn` in a write transaction; resolves once it is durably committed. `fn` must only touch `tx`. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** When (OpenOptions.now) the latest write failed for a full disk, while no write has succeeded since; else undefined. */
  diskFullAt(): number | undefined;
  /** Waits for queued writes, then closes the connection(s). */
  close(): Promise<void>;
}

/** What each dialect's module makes; openDatabase adds the rest. */
export type DialectDb = Omit<Db, 'diskFullAt'>;

export interface OpenOptions {
  /** Epoch milliseconds (tests move it); default Date.now. */
  readonly now?: () => number;
  /** SQLite: start a new database in an existing empty file (`--init-db`), which is otherwise refused as a lost one. */
  readonly initialize?: boolean;
}

/** A database that cannot be opened, with a message for the person who started the server. */
export class DatabaseOpenError extends Error {}

/** The refusal of a database that failed its integrity check at start. */
export function damaged(location: string, why: string): DatabaseOpenError {
  return new DatabaseOpenError(`${location} is damaged (${why}); nothing was changed; restore it from a backup`);
}

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

export async function openDatabase(db: string, options: OpenOptions = {}): Promise<Db> {
  const opened = isPostgresUrl(db) ? await openPostgres(db) : await openSqlite(db, options.initialize ?? false);
  return withDiskFullWatch(opened, options.now ?? Date.now);
}

/** Notes writes that fail for a full disk, until one succeeds again (for /health). */
function withDiskFullWatch(db: DialectDb, now: () => number): Db {
  let fullAt: number | undefined;
  return {
    dialect: db.dialect,
    kysely: db.kysely,
    location: db.location,
    async write(fn) {
      try {
        const value = await db.write(fn);
        fullAt = undefined;
        return value;
      } catch (e) {
        if (databaseFault(e) === 'diskFull') fullAt = now();
        throw e;
      }
    },
    diskFullAt: () => fullAt,
    close: () => db.close(),
  };
}
