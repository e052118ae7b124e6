import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { countSubmission, nextItem, releaseExpired, SWEEP_MAX_GAP_MS, SweepSchedule, type LeaseRule, type NextResult } from '../../../src/server/db/assignment.ts';
import { replaceTokens, revokeAnnotator } from '../../../src/server/db/tokens.ts';
import { openDatabase, type Db } from '../../../src/server/db/database.ts';
import { migrate } from '../../../src/server/db/migrate.ts';
import { syncPack } from '../../../src/server/db/packSync.ts';
import { client, databasePerTest, DATABASES, invite, LEAD, writePack, serverPerTest } from './support.ts';

/**
 * The lease rule (src/server/db/assignment.ts) on each database, with a clock the tests move, so
 * expiry needs no waiting. The same code runs on SQLite and PostgreSQL. Under concurrency it is
 * driven through a server, each claim its own HTTP request.
 */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`lease rule on ${database.kind}`, () => {
    let db: Db;
    let drop: () => Promise<void>;
    const LEASE = 60_000;
    let now = 1_000_000;

    const createInvites = (names: readonly string[]) =>
      db.write(async (tx) => {
        for (const name of names) await replaceTokens(tx, name, `hash of ${name}`, now);
      });

    async function setUp(items: number, k: number): Promise<LeaseRule> {
      const { pack, file } = writePack(items, { k });
      await syncPack(db, pack, file);
      await createInvites(['a', 'b', 'c', 'd', 'e']);
      return { annotatorsPerItem: k, leaseMs: LEASE, maxLeases: 3 };
    }
    const next = (who: string, rule: LeaseRule, exclude: string[] = []) => db.write((tx) => nextItem(tx, db.dialect, who, new Set(exclude), now, rule));
    const submitFor = (who: string, itemId: string, rule: LeaseRule) => db.write((tx) => countSubmission(tx, db.dialect, who, itemId, now, rule.annotatorsPerItem));
    const id = (r: NextResult) => (r.kind === 'item' ? r.itemId : r.kind);

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

    it('started items go first, then pack order; K annotators at most, each once', async () => {
      const rule = await setUp(3, 2);
      expect(id(await next('a', rule))).toBe('0001');
      expect(id(await next('b', rule))).toBe('0001'); // started, so before 0002
      expect(id(await next('c', rule))).toBe('0002'); // 0001 has K = 2 live leases
      expect((await submitFor('a', '0001', rule)).kind).toBe('first');
      expect(id(await next('a', rule))).toBe('0002'); // never 0001 again; 0002 is started
      expect(id(await next('d', rule))).toBe('0003'); // 0001 and 0002 are full
      expect(id(await next('e', rule))).toBe('0003');
    });

    it('asking again returns the same leased item with the same expiry, until it is submitted', async () => {
      const rule = await setUp(3, 3);
      const first = await next('a', rule);
      now += 1000;
      expect(await next('a', rule)).toEqual(first);
      await submitFor('a', '0001', rule);
      expect(id(await next('a', rule))).toBe('0002');
    });

    it('exclude gives a second (prefetched) item; at most maxLeases live leases', async () => {
      const rule = await setUp(5, 3);
      expect(id(await next('a', rule))).toBe('0001');
      expect(id(await next('a', rule, ['0001']))).toBe('0002');
      expect(id(await next('a', rule, ['0001', '0002']))).toBe('0003');
      expect(await next('a', rule, ['0001', '0002', '0003'])).toEqual({ kind: 'tooMany', held: 3 });
      expect(id(await next('a', rule))).toBe('0001'); // the oldest lease first
      expect(id(await next('a', rule, ['0001']))).toBe('0002');
    });

    it('an expired lease is released and the item re-assigned; the late submission is still counted', async () => {
      const rule = await setUp(2, 1);
      expect(id(await next('a', rule))).toBe('0001');
      expect(id(await next('b', rule))).toBe('0002');
      const none = await next('c', rule);
      expect(none).toEqual({ kind: 'none', retryAfterMs: LEASE });
      now += LEASE; // both leases end now
      expect(id(await next('c', rule))).toBe('0001');
      const late = await submitFor('a', '0001', rule);
      expect(late).toEqual({ kind: 'first', late: true });
      const row = await db.kysely.selectFrom('items').select(['held', 'submitted']).where('id', '=', '0001').executeTakeFirstOrThrow();
      expect(row).toEqual({ held: 1, submitted: 1 }); // c's live lease and a's late work: K + 1
    });

    it('an annotator whose own lease expired may take the item up again', async () => {
      const rule = await setUp(1, 2);
      expect(id(await next('a', rule))).toBe('0001');
      now += LEASE + 1;
      const again = await next('a', rule);
      expect(again).toMatchObject({ kind: 'item', itemId: '0001', renewed: true, expiresAt: now + LEASE });
    });

    it('nothing left: none without retryAfter once every item is complete', async () => {
      const rule = await setUp(1, 1);
      await next('a', rule);
      await submitFor('a', '0001', rule);
      expect(await next('b', rule)).toEqual({ kind: 'none' });
      expect(await next('a', rule)).toEqual({ kind: 'none' });
    });

    it.skipIf(database.kind !== 'postgres')('an item locked by another claim in flight is not "nothing left": none with a retry, then the item', async () => {
      // A claim skips rows other claims hold locked (FOR UPDATE SKIP LOCKED). Their leases are
      // not committed yet, so no lease says when to come back; the answer must still not be a
      // bare "none" (the page would say All done; a study participant would be completed).
      const rule = await setUp(1, 2);
      await db.kysely.transaction().execute(async (other) => {
        await sql`select id from items where id = '0001' for update`.execute(other);
        const none = await next('a', rule);
        expect(none.kind).toBe('none');
        expect(none.kind === 'none' && none.retryAfterMs).toBeGreaterThan(0);
      });
      expect(id(await next('a', rule))).toBe('0001');
    });

    it('a submission for an item never assigned is refused; a second one is a revision', async () => {
      const rule = await setUp(2, 3);
      await next('a', rule);
      expect(await submitFor('a', '0002', rule)).toEqual({ kind: 'notAssigned' });
      expect(await submitFor('a', 'nope', rule)).toEqual({ kind: 'notAssigned' });
      expect(await submitFor('a', '0001', rule)).toEqual({ kind: 'first', late: false });
      expect(await submitFor('a', '0001', rule)).toEqual({ kind: 'revision' });
    });

    it('revoking an annotator releases their leases at once', async () => {
      const rule = await setUp(1, 1);
      await next('a', rule);
      expect((await next('b', rule)).kind).toBe('none');
      expect(await db.write((tx) => revokeAnnotator(tx, db.dialect, 'a', now, 1))).toEqual({ found: true, releasedLeases: 1 });
      expect(id(await next('b', rule))).toBe('0001');
    });

    it('the sweep touches only expired, unsubmitted leases', async () => {
      const rule = await setUp(3, 3);
      await next('a', rule);
      await next('b', rule);
      await submitFor('b', '0001', rule);
      now += LEASE;
      expect(await db.write((tx) => releaseExpired(tx, db.dialect, now, 3))).toBe(1);
      expect(await db.write((tx) => releaseExpired(tx, db.dialect, now, 3))).toBe(0);
      const row = await db.kysely.selectFrom('items').select(['held', 'submitted', 'state']).where('id', '=', '0001').executeTakeFirstOrThrow();
      expect(row).toEqual({ held: 0, submitted: 1, state: 0 });
    });
  });

  describe.skipIf(database.skip)(`the sweep schedule on ${database.kind}`, () => {
    const db = databasePerTest(database);
    let now = 1_000_000;
    const SHORT = 100;
    const LONG = 60_000;
    const next = (who: string, rule: LeaseRule) => db().write((tx) => nextItem(tx, db().dialect, who, new Set(), now, rule));
    const id = (r: NextResult) => (r.kind === 'item' ? r.itemId : r.kind);
    const counters = (item: string) => db().kysely.selectFrom('items').select(['held', 'submitted']).where('id', '=', item).executeTakeFirstOrThrow();
    /** Two servers' rules on one database: their own schedules, A's leases short. */
    async function twoServers(items: number): Promise<{ a: LeaseRule; b: LeaseRule }> {
      const { pack, file } = writePack(items, { k: 1 });
      await syncPack(db(), pack, file);
      await db().write(async (tx) => {
        for (const name of ['a', 'b', 'c', 'd']) await replaceTokens(tx, name, `hash of ${name}`, now);
      });
      return {
        a: { annotatorsPerItem: 1, leaseMs: SHORT, maxLeases: 3, sweeps: new SweepSchedule() },
        b: { annotatorsPerItem: 1, leaseMs: LONG, maxLeases: 3, sweeps: new SweepSchedule() },
      };
    }

    beforeEach(() => {
      now = 1_000_000;
    });

    it("a server's own lease is released by the first claim at its expiry, sooner than the longest gap between sweeps", async () => {
      const { a } = await twoServers(3);
      expect(id(await next('a', a))).toBe('0001');
      expect(id(await next('b', a))).toBe('0002');
      now += SHORT - 1;
      expect(id(await next('c', a))).toBe('0003'); // nothing expired yet
      now += 1;
      expect(SHORT).toBeLessThan(SWEEP_MAX_GAP_MS);
      expect(id(await next('d', a))).toBe('0001'); // released (and 0002 with it), 0001 first in pack order
      expect(await counters('0002')).toEqual({ held: 0, submitted: 0 });
    });

    it("another server's lease is released within the longest gap between sweeps", async () => {
      const { a, b } = await twoServers(4);
      expect(id(await next('b', b))).toBe('0001'); // B's first claim sweeps: nothing left but its own lease
      expect(id(await next('a', a))).toBe('0002'); // made by A: B does not know of it
      now += SHORT;
      expect(id(await next('c', b))).toBe('0003'); // B skips the sweep; 0002 is still held
      expect(await counters('0002')).toEqual({ held: 1, submitted: 0 });
      now += SWEEP_MAX_GAP_MS;
      expect(id(await next('d', b))).toBe('0002');
    });

    it('a claim that skipped the sweep and finds nothing free sweeps and looks again', async () => {
      const { a, b } = await twoServers(2);
      expect(id(await next('b', b))).toBe('0001');
      expect(id(await next('a', a))).toBe('0002');
      now += SHORT;
      expect(id(await next('c', b))).toBe('0002');
      expect(await counters('0002')).toEqual({ held: 1, submitted: 0 });
    });
  });

  describe.skipIf(database.skip)(`lease rule under concurrent requests on ${database.kind}`, () => {
    const startServerFor = serverPerTest(database);

    it('40 annotators claiming at once, each through their own HTTP request, never put more than K on an item, nor one annotator twice', async () => {
      const k = 3;
      const server = await startServerFor(writePack(20, { k }).file);
      const people = Array.from({ length: 40 }, (_, i) => `p${i}`);
      const tokens = await invite(server.url, people);
      const held = new Map<string, string[]>(people.map((p) => [p, []]));
      // Rounds of 40 simultaneous GET /next (each annotator asks for one more item, excluding what
      // they hold, up to their 3 leases) until every slot is taken. On PostgreSQL a claim skips an
      // item another claim has locked, so a round may leave a slot for the next one.
      for (let round = 0; round < 10 && [...held.values()].flat().length < 60; round++) {
        const asking = people.filter((p) => held.get(p)!.length < 3);
        const answers = await Promise.all(asking.map((p) => client(server.url, tokens.get(p))('GET', `/next?exclude=${held.get(p)!.join(',')}`)));
        answers.forEach((a, i) => {
          expect([200, 204]).toContain(a.status);
          if (a.status === 200) held.get(asking[i]!)!.push(a.body.item.id);
        });
      }
      const perItem = new Map<string, Set<string>>();
      for (const [p, items] of held) {
        expect(new Set(items).size).toBe(items.length);
        for (const it of items) {
          if (!perItem.has(it)) perItem.set(it, new Set());
          perItem.get(it)!.add(p);
        }
      }
      expect([...held.values()].flat().length).toBe(60); // 20 items x K = 3: every slot taken, none twice
      for (const who of perItem.values()) expect(who.size).toBe(k);
      const rows = await server.db.kysely.selectFrom('items').select(['id', 'held', 'state']).execute();
      for (const r of rows) expect([r.held, r.state]).toEqual([3, 2]);
      const progress = await client(server.url, LEAD)('GET', '/progress');
      expect(progress.body.annotators.reduce((n: number, a: { leased: number }) => n + a.leased, 0)).toBe(60);
    });
  });
}
