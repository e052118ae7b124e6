import { sql } from 'kysely';
import type { Db } from './database.ts';
import { FAULT_MESSAGES } from './faults.ts';

/**
 * What GET /api/v1/health says about the database. `degraded`: the latest write failed for a
 * full disk and none has succeeded since; held for DISK_FULL_HOLD_MS after that failure, then
 * health reads ok again so that traffic (a load balancer's included) comes back and its writes
 * test the disk again: a write that fails makes it degraded again, one that succeeds ends it.
 */
export const DISK_FULL_HOLD_MS = 30_000;

export type DatabaseHealth =
  { readonly ok: true } | { readonly ok: false; readonly status: 'database unavailable' } | { readonly ok: false; readonly status: 'degraded'; readonly problem: string };

export async function databaseHealth(db: Db, now: number): Promise<DatabaseHealth> {
  try {
    await sql`select 1`.execute(db.kysely);
  } catch {
    return { ok: false, status: 'database unavailable' };
  }
  const fullAt = db.diskFullAt();
  if (fullAt !== undefined && now - fullAt < DISK_FULL_HOLD_MS) return { ok: false, status: 'degraded', problem: FAULT_MESSAGES.diskFull };
  return { ok: true };
}
