import { sql } from 'kysely';
import type { Db } from './database.ts';

/** Whether the database answers now (GET /api/v1/health). */
export async function databaseAnswers(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db.kysely);
    return true;
  } catch {
    return false;
  }
}
