/**
 * A database of today's schema before issue 17 (migrations below 20) holding one submission of
 * item "0001" by annotator "old", for pack writePack(n, { k: 1 }). SQLite keeps its file lock for
 * the life of the process that opened it, so for SQLite tests run this file in a child process:
 * `tsx oldDatabase.ts DB`.
 */
import { sql } from 'kysely';
import { openDatabase } from '../../../src/server/db/database.ts';
import { MIGRATIONS, migrate } from '../../../src/server/db/migrate.ts';
import { recordFor } from './support.ts';

export async function writeOldDatabase(url: string): Promise<void> {
  const old = await openDatabase(url);
  try {
    await migrate(
      old,
      MIGRATIONS.filter((m) => m.version < 20),
    );
    const record = JSON.stringify(recordFor('0001'));
    await old.write(async (tx) => {
      await sql`insert into items (id, position, image, prompt, width, height, held, submitted, state) values ('0001', 0, 'images/0001.png', 'a red cat on a blue sofa', 64, 48, 0, 1, 2)`.execute(
        tx,
      );
      await sql`insert into annotators (id, created_at, submitted) values ('old', 1, 1)`.execute(tx);
      await sql`insert into assignments (item_id, annotator, leased_at, expires_at, released, submitted) values ('0001', 'old', 1, 2, 0, 1)`.execute(tx);
      await sql`insert into submissions (item_id, annotator, client_id, submitted_at_ms, active_ms, record, received_at) values ('0001', 'old', '00000000-0000-4000-8000-00000000abcd', 1, 12000, ${record}, 1)`.execute(
        tx,
      );
      await sql`insert into settings (key, value) values ('pack_name', 'test'), ('annotators_per_item', '1')`.execute(tx);
    });
  } finally {
    await old.close();
  }
}

if (process.argv[1]?.endsWith('oldDatabase.ts') && process.argv[2]) await writeOldDatabase(process.argv[2]);
