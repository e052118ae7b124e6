import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatabaseOpenError, redactUrl, type Db } from './database.ts';
import type { Schema } from './schema.ts';

/** PostgreSQL (node-postgres): a pool of connections, one READ COMMITTED transaction per write; see database.ts. */

/** int8 (counts, epoch milliseconds) as numbers: every value we store is below 2^53. */
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** SQLSTATEs after which PostgreSQL has rolled the transaction back and a retry is safe. */
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 8;

export async function openPostgres(url: string): Promise<Db> {
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
