import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RatingRecord } from '../../../src/core/formats/annotations.ts';
import { nextItem, releaseExpired, type LeaseRule } from '../../../src/server/db/assignment.ts';
import { openDatabase, type Db } from '../../../src/server/db/database.ts';
import { migrate } from '../../../src/server/db/migrate.ts';
import { syncPack } from '../../../src/server/db/packSync.ts';
import { submit, type SubmitOutcome } from '../../../src/server/db/submissions.ts';
import { replaceTokens } from '../../../src/server/db/tokens.ts';
import { DATABASES, recordFor, uuid, writePack } from './support.ts';

/**
 * Submissions racing each other and the expiry sweep, fired in parallel: on PostgreSQL each
 * write is its own transaction on its own pooled connection (truly concurrent); on SQLite the
 * same code runs through the one writer. Afterwards no write failed, each clientId was stored
 * once, and every item's counters equal a recount of its assignments.
 */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`submissions racing on ${database.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const LEASE = 60_000;
    let now = 1_000_000;

    beforeEach(async () => {
      const created = await database.create();
      drop = created.drop;
      db = await openDatabase(created.url);
      await migrate(db);
      now = 1_000_000;
    });
    afterEach(async () => {
      await db.close();
      await drop();
    });

    async function setUp(items: number, k: number, people: readonly string[]): Promise<LeaseRule> {
      const { pack, file } = writePack(items, { k });
      await syncPack(db, pack, file);
      await db.write(async (tx) => {
        for (const p of people) await replaceTokens(tx, p, `hash of ${p}`, now);
      });
      return { annotatorsPerItem: k, leaseMs: LEASE, maxLeases: 3 };
    }
    const claim = (who: string, rule: LeaseRule) => db.write((tx) => nextItem(tx, db.dialect, who, new Set(), now, rule));
    const send = (annotator: string, clientId: string, record: RatingRecord, rule: LeaseRule) => submit(db, { annotator, clientId, record, sizeKnown: true }, now, rule);

    /** Every item's held and submitted counters against a recount of its assignments. */
    async function countersAgree(): Promise<void> {
      const rows = (
        await sql<{ id: string; held: number; submitted: number; held_now: number; submitted_now: number }>`select i.id, i.held, i.submitted,
          (select count(*) from assignments a where a.item_id = i.id and a.submitted = 0 and a.released = 0) as held_now,
          (select count(*) from assignments a where a.item_id = i.id and a.submitted = 1) as submitted_now
        from items i order by i.id`.execute(db.kysely)
      ).rows;
      for (const r of rows) expect([r.id, Number(r.held), Number(r.submitted)]).toEqual([r.id, Number(r.held_now), Number(r.submitted_now)]);
    }

    it('one clientId sent four times at once: stored once, the other three are duplicates, none fails', async () => {
      const people = Array.from({ length: 24 }, (_, i) => `p${i}`);
      const rule = await setUp(24, 1, people);
      const claimed = await Promise.all(people.map((p) => claim(p, rule)));
      const sends: Promise<SubmitOutcome>[] = [];
      claimed.forEach((c, i) => {
        if (c.kind !== 'item') throw new Error(`${people[i]} got no item`);
        const clientId = uuid();
        const record = recordFor(c.itemId) as RatingRecord;
        for (let copy = 0; copy < 4; copy++) sends.push(send(people[i]!, clientId, record, rule));
      });
      const outcomes = await Promise.allSettled(sends);
      const kinds = outcomes.map((o) => (o.status === 'fulfilled' ? o.value.kind : `failed: ${String(o.reason)}`));
      expect(kinds.filter((k) => k.startsWith('failed'))).toEqual([]);
      expect(kinds.filter((k) => k === 'stored')).toHaveLength(24);
      expect(kinds.filter((k) => k === 'duplicate')).toHaveLength(72);
      const logged = await sql<{ n: number }>`select count(*) as n from submission_log`.execute(db.kysely);
      expect(Number(logged.rows[0]!.n)).toBe(24);
      await countersAgree();
    });

    it('late submissions racing the expiry sweep and others claiming: every late one is kept and counted once', async () => {
      const people = Array.from({ length: 24 }, (_, i) => `p${i}`);
      const others = Array.from({ length: 12 }, (_, i) => `q${i}`);
      const rule = await setUp(24, 1, [...people, ...others]);
      const claimed = await Promise.all(people.map((p) => claim(p, rule)));
      now += LEASE; // every lease has just expired
      // Interleaved so sweeps hold items while late submissions arrive, and the other way round.
      const late: Promise<SubmitOutcome>[] = [];
      const racing: Promise<unknown>[] = [];
      claimed.forEach((c, i) => {
        if (c.kind !== 'item') throw new Error(`${people[i]} got no item`);
        if (i % 4 === 0) racing.push(db.write((tx) => releaseExpired(tx, db.dialect, now, 1)));
        if (i % 2 === 0) racing.push(claim(others[i / 2]!, rule));
        const s = send(people[i]!, uuid(), recordFor(c.itemId) as RatingRecord, rule);
        late.push(s);
        racing.push(s);
      });
      const settled = await Promise.allSettled(racing);
      expect(settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
      for (const s of await Promise.all(late)) expect(s).toEqual({ kind: 'stored', first: true, late: true });
      await countersAgree();
      const items = await sql<{ submitted: number; held: number }>`select submitted, held from items`.execute(db.kysely);
      expect(items.rows.every((r) => Number(r.submitted) === 1 && Number(r.held) >= 0)).toBe(true);
    });
  });
}
