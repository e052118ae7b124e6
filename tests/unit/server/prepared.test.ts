import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { prepared } from '../../../src/server/db/prepared.ts';
import { databasePerTest, DATABASES } from './support.ts';

/** Queries compiled once (src/server/db/prepared.ts), on each real database. */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`prepared queries on ${database.kind}`, () => {
    const db = databasePerTest(database);

    it('compiles once and runs with each call’s values, an argument used twice taking the same value', async () => {
      let builds = 0;
      const put = prepared((key: string, value: string) => sql`insert into settings (key, value) values (${key}, ${value})`);
      const find = prepared((text: string) => {
        builds++;
        return sql<{ key: string; value: string }>`select key, value from settings where key = ${text} or value = ${text} order by key`;
      });
      await db().write(async (tx) => {
        await put(tx, 'bench-a', 'x');
        await put(tx, 'bench-b', 'bench-a');
        await put(tx, 'bench-c', 'y');
      });
      expect((await find(db().kysely, 'bench-a')).rows).toEqual([
        { key: 'bench-a', value: 'x' },
        { key: 'bench-b', value: 'bench-a' },
      ]);
      expect((await find(db().kysely, 'y')).rows).toEqual([{ key: 'bench-c', value: 'y' }]);
      // Inside a write transaction too (another connection object, the same dialect).
      expect((await db().write((tx) => find(tx, 'bench-c'))).rows).toEqual([{ key: 'bench-c', value: 'y' }]);
      expect((await find(db().kysely, 'none')).rows).toEqual([]);
      expect(builds).toBe(1);
    });

    it('refuses a value that is not one of its arguments (it would be frozen into the query)', async () => {
      const captured = 'bench-a';
      const wrong = prepared((value: string) => sql`select key from settings where key = ${captured} and value = ${value}`);
      await expect(wrong(db().kysely, 'x')).rejects.toThrow(/not one of its arguments.*select key from settings/);
    });
  });
}
