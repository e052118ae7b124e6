import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseOpenError, damaged, redactUrl, type DialectDb } from './database.ts';
import { TABLES, type Schema } from './schema.ts';

/** PostgreSQL (node-postgres): a pool of connections, one READ COMMITTED transaction per write; see database.ts. */

/** int8 (counts, epoch milliseconds) as numbers: every value we store is below 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs after which PostgreSQL has rolled the transaction back and a retry is safe. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;
/**
 * Before attempt n + 1, a pause drawn from [0, min(RETRY_CAP_MS, RETRY_BASE_MS * 2^n)) ms:
 * transactions that deadlocked each other do not collide again at once (full jitter).
 */
const RETRY_BASE_MS = 5;
const RETRY_CAP_MS = 200;
/** Connecting (or waiting for a free connection of the pool) gives up after this long, so a request fails with a 503 instead of hanging while PostgreSQL is away. */
const CONNECT_TIMEOUT_MS = 5_000;
const POOL_SIZE = 10;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function openPostgres(url: string): Promise<DialectDb> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, types: pgTypes, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A connection that ends (PostgreSQL restarting, a network cut) makes its client emit 'error',
  // which would end the process without a listener. The pool listens on idle clients only;
  // clients in use (under load, between the statements of a transaction) need their own. The
  // statement running or the next one then fails (a 503 for its request), the pool drops the
  // client when it is released, and the next request connects anew.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new DatabaseOpenError(`${location}: cannot connect to PostgreSQL: ${(e as Error).message}`);
  }
  try {
    await readEveryPage(pool, location);
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
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
            await pause(Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** attempt));
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

/** PostgreSQL's errors for damaged data: class XX (data_corrupted, index_corrupted), and what reading a bad block says. */
const DAMAGE = /^XX/;

/**
 * The integrity check at start (SQLite's is PRAGMA quick_check). PostgreSQL verifies each page
 * as it reads it from disk (its header always; its checksum when the cluster has them), so every
 * page of richhf's tables (and their TOASTed values) is read once, by sequential scans: damage is
 * found now, not by an export weeks later. Indexes are not read (amcheck would, but it is an
 * extension that needs a superuser); a damaged index still fails the queries that use it.
 * Tables not made yet (a new database) are skipped.
 */
async function readEveryPage(pool: pg.Pool, location: string): Promise<void> {
  const client = await pool.connect();
  let table = '';
  try {
    await client.query('begin read only');
    // Sequential scans only: an index-only scan could count rows without reading the table.
    await client.query('set local enable_indexscan = off; set local enable_indexonlyscan = off; set local enable_bitmapscan = off');
    const present = await client.query<{ tablename: string }>('select tablename from pg_tables where schemaname = current_schema() and tablename = any($1)', [TABLES]);
    for (const { tablename } of present.rows) {
      table = tablename;
      // Each row as text: every column read, TOASTed values fetched and decompressed.
      await client.query(`select count(*) from ${client.escapeIdentifier(tablename)} t where length(t::text) >= 0`);
    }
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    const code = (e as { code?: string }).code;
    if (code && DAMAGE.test(code)) throw damaged(location, `reading every page of table ${table}: ${(e as Error).message}`);
    throw e;
  } finally {
    client.release();
  }
}
