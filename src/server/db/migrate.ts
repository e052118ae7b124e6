import { sql, type Kysely } from 'kysely';
import type { Db } from './database.ts';
import { initial } from './migrations/0001_initial.ts';
import { itemsBySubmitted } from './migrations/0002_items_by_submitted.ts';
import { quality } from './migrations/0020_quality.ts';
import { studies } from './migrations/0010_studies.ts';
import { comparisonSides } from './migrations/0030_comparison_sides.ts';
import { studyPreviews } from './migrations/0040_study_previews.ts';

/**
 * Numbered schema migrations, run at start-up in one transaction and recorded in
 * `richhf_migrations`. A server never opens a database whose schema is newer than it knows:
 * it could misread data written by the newer version, or destroy it.
 *
 * To change the schema: add `migrations/000N_what.ts` (never edit one that has shipped) and
 * list it in MIGRATIONS, then update schema.ts.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Kysely<never>): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [initial, itemsBySubmitted, studies, quality, comparisonSides, studyPreviews];

export class DatabaseTooNewError extends Error {}

/** Serializes start-ups of several servers on one PostgreSQL database (any constant will do). */
const PG_MIGRATION_LOCK = 0x72696368;

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
}

export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS, now = Date.now): Promise<MigrationResult> {
  const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  return db.write(async (tx) => {
    if (db.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`.execute(tx);
    await tx.schema
      .createTable('richhf_migrations')
      .ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
    const applied = await tx.selectFrom('richhf_migrations').select('version').execute();
    const done = new Set(applied.map((r) => r.version));
    const from = applied.reduce((m, r) => Math.max(m, r.version), 0);
    if (from > latest) {
      throw new DatabaseTooNewError(
        `${db.location} has schema version ${from}, but this richhf serve knows versions up to ${latest}: it was last opened by a newer richhf-studio. Use that version (or a backup made before it).`,
      );
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await m.up(tx as unknown as Kysely<never>);
      await tx.insertInto('richhf_migrations').values({ version: m.version, name: m.name, applied_at: now() }).execute();
    }
    return { from, to: latest };
  });
}
