import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../../src/core/formats/apiLead.ts';
import { openDatabase, type Db } from '../../../src/server/db/database.ts';
import { migrate } from '../../../src/server/db/migrate.ts';
import { syncPack } from '../../../src/server/db/packSync.ts';
import { readProgress } from '../../../src/server/db/progress.ts';
import { replaceTokens } from '../../../src/server/db/tokens.ts';
import { ProgressFeed } from '../../../src/server/progressFeed.ts';
import { DATABASES, writePack } from './support.ts';

/**
 * The live progress behind the lead's streams: one read of the database per change, whatever
 * the number of streams (500 streams opened at once used to run 500 reads, stalling every
 * request for seconds on a big pack). Reads are counted around the real query.
 */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`progress feed on ${database.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    let feed: ProgressFeed;
    let reads = 0;
    beforeEach(async () => {
      const created = await database.create();
      drop = created.drop;
      db = await openDatabase(created.url);
      await migrate(db);
      const { pack, file } = writePack(5, { k: 2 });
      await syncPack(db, pack, file);
      reads = 0;
      feed = new ProgressFeed(
        () => {
          reads++;
          return readProgress(db, 2, Date.now());
        },
        { minIntervalMs: 0, pollMs: 3_600_000 },
      );
    });
    afterEach(async () => {
      feed.stop();
      await db.close();
      await drop();
    });
    const addAnnotator = (id: string) => db.write((tx) => replaceTokens(tx, id, `hash of ${id}`, Date.now()));
    const until = async (check: () => boolean) => {
      while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
    };

    it('200 streams subscribing at once share one read; a change is read once and reaches all of them', async () => {
      const seen: Progress[][] = Array.from({ length: 200 }, () => []);
      const unsubscribe = await Promise.all(seen.map((list) => feed.subscribe((p) => list.push(p))));
      expect(reads).toBe(1);
      for (const list of seen) expect(list).toEqual([{ items: 5, completeItems: 0, submissions: 0, annotators: [] }]);

      await addAnnotator('alice');
      feed.changed();
      await until(() => seen.every((list) => list.length === 2));
      expect(reads).toBe(2);
      for (const list of seen) expect(list[1]!.annotators.map((a) => a.id)).toEqual(['alice']);

      // A late subscriber gets what the others have, without a read of its own.
      const late: Progress[] = [];
      unsubscribe.push(await feed.subscribe((p) => late.push(p)));
      expect(late).toEqual([seen[0]![1]]);
      expect(reads).toBe(2);

      // Nobody listening: no reads.
      for (const u of unsubscribe) u();
      expect(feed.listenerCount).toBe(0);
      await addAnnotator('bob');
      feed.changed();
      expect(reads).toBe(2);
    });

    it('a change made while a read runs is read again afterwards, not lost', async () => {
      const seen: Progress[] = [];
      await feed.subscribe((p) => seen.push(p));
      await addAnnotator('alice');
      feed.changed(); // starts a read at once (minIntervalMs 0)
      await addAnnotator('bob');
      feed.changed();
      await until(() => seen.at(-1)!.annotators.length === 2);
      expect(seen.at(-1)!.annotators.map((a) => a.id)).toEqual(['alice', 'bob']);
    });
  });
}
