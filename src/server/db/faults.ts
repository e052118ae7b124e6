/**
 * Database failures that are not bugs: the database is away for a while (a PostgreSQL restart,
 * a dropped connection) or its disk is full. Requests that meet one are answered 503 with a
 * sentence saying which (http/errors.ts), nothing half-stored: each write is one transaction, so
 * it either committed whole or not at all, and a client's retry with the same clientId is safe
 * either way. Anything else is a 500 and is logged.
 */
export type DatabaseFault = 'unavailable' | 'diskFull';

export const FAULT_MESSAGES: Record<DatabaseFault, string> = {
  unavailable: 'the database is unavailable (the server reconnects by itself); try again in a moment',
  diskFull: 'the server cannot store submissions: its disk is full',
};

/** SQLSTATE classes and codes (PostgreSQL) meaning the connection or the server went away: 08 connection exception, 57P01-03 shutdown / starting up, 53300 too many connections. */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300)$/;
/** 53100: disk_full (PostgreSQL). */
const PG_DISK_FULL = '53100';
/** Socket errors on the way to PostgreSQL. */
const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
/** What node-postgres says when a connection dies under a query or cannot be made in time (it gives no code). */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|Client was closed and is not queryable|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;

export function databaseFault(e: unknown): DatabaseFault | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (code === 'SQLITE_FULL' || code === PG_DISK_FULL || code === 'ENOSPC') return 'diskFull';
  if (typeof code === 'string' && (PG_UNAVAILABLE.test(code) || NET_CODES.has(code))) return 'unavailable';
  const message = (e as { message?: unknown }).message;
  if (typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message)) return 'unavailable';
  // An AggregateError (a connection tried on several addresses) is unavailable if its parts are.
  if (e instanceof AggregateError && e.errors.length > 0 && e.errors.every((x) => databaseFault(x) === 'unavailable')) return 'unavailable';
  return undefined;
}
