import { sql, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/server/db/database.ts';
import { DatabaseTooNewError, MIGRATIONS, migrate, type Migration } from '../../../src/server/db/migrate.ts';
import { DATABASES } from './support.ts';

/** Numbered migrations on each database: recorded, run once, in one transaction; a newer database is refused. */
/** Versions up to LATEST are this server's (numbers may have gaps: helpers' branches take numbers apart); the test's own come after them. */
const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));
const ours = MIGRATIONS.map((m) => ({ version: m.version, name: m.name }));
const addNotes: Migration = {
  version: LATEST + 1,
  name: 'notes',
  async up(db: Kysely<never>) {
    await db.schema
      .createTable('notes')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .execute();
  },
};
const broken: Migration = {
  version: LATEST + 2,
  name: 'broken',
  async up(db: Kysely<never>) {
    await db.schema.createTable('half_done').addColumn('id', 'integer').execute();
    throw new Error('this migration fails');
  },
};

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`migrations on ${database.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    beforeEach(async () => {
      const created = await database.create();
      drop = created.drop;
      db = await openDatabase(created.url);
    });
    afterEach(async () => {
      await db.close();
      await drop();
    });
    const versions = async () => (await sql<{ version: number; name: string }>`select version, name from richhf_migrations order by version`.execute(db.kysely)).rows;
    const hasTable = async (name: string) => {
      try {
        await sql`select count(*) from ${sql.table(name)}`.execute(db.kysely);
        return true;
      } catch {
        return false;
      }
    };

    it('a newer server migrates an older database once; an older server refuses the newer database', async () => {
      expect(await migrate(db, MIGRATIONS.slice(0, 1))).toEqual({ from: 0, to: 1 }); // a database of the first release
      expect(await migrate(db, MIGRATIONS)).toEqual({ from: 1, to: LATEST });
      expect(await migrate(db, MIGRATIONS)).toEqual({ from: LATEST, to: LATEST });
      expect(await migrate(db, [...MIGRATIONS, addNotes])).toEqual({ from: LATEST, to: LATEST + 1 });
      expect(await versions()).toEqual([...ours, { version: LATEST + 1, name: 'notes' }]);
      expect(await hasTable('notes')).toBe(true);
      await expect(migrate(db, MIGRATIONS)).rejects.toThrow(DatabaseTooNewError);
      await expect(migrate(db, MIGRATIONS)).rejects.toThrow(`has schema version ${LATEST + 1}, but this richhf serve knows versions up to ${LATEST}`);
    });

    it('a failing migration leaves nothing behind: no table, no record', async () => {
      await migrate(db, MIGRATIONS);
      await expect(migrate(db, [...MIGRATIONS, addNotes, broken])).rejects.toThrow('this migration fails');
      expect(await versions()).toEqual(ours);
      expect(await hasTable('notes')).toBe(false);
      expect(await hasTable('half_done')).toBe(false);
    });
  });
}
