import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnnotator, type Ack } from '../../../scripts/annotatorLoad.ts';
import { client, DATABASES, LEAD, startTestServer, writePack, type TestServer } from './support.ts';

/**
 * The load through one study link: 50 participants enrol at once (plain HTTP clients;
 * ten of them twice, at the same moment, as a second click on the platform would), then label
 * with a quota of 4 until the server says nothing is left. On PostgreSQL two servers share the
 * database, each participant talking to one of them.
 */
const ITEMS = 60;
const K = 3;
const QUOTA = 4;
const PARTICIPANTS = 50;
const generous = { burst: 1000, perMinute: 1000 };

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`50 participants enrol at once on ${database.kind}`, () => {
    let s: TestServer;
    let other: TestServer | undefined;
    let drop: () => Promise<void>;
    const acks: Ack[] = [];
    const enrolled: { participant: string; status: number; annotator: string }[] = [];

    beforeAll(async () => {
      const { file } = writePack(ITEMS, { k: K });
      const created = await database.create();
      drop = created.drop;
      const options = { packFile: file, db: created.url, enrolment: { perStudy: generous, perAddress: generous } };
      s = await startTestServer(options);
      if (database.kind === 'postgres') other = await startTestServer(options);
      const urls = other ? [s.url, other.url] : [s.url];
      const { study } = (await client(s.url, LEAD)('POST', '/studies', { name: 'Load', quota: QUOTA })).body;
      const ids = Array.from({ length: PARTICIPANTS }, (_, i) => `p${String(i).padStart(2, '0')}`);
      const requests = [...ids, ...ids.slice(0, 10)].map(async (participant, i) => {
        const res = await client(urls[i % urls.length]!, undefined)('POST', '/studies/enrol', { study: study.token, participant });
        enrolled.push({ participant, status: res.status, annotator: res.body.annotator });
        return { participant, token: res.body.token as string, annotator: res.body.annotator as string, i };
      });
      const tokens = (await Promise.all(requests)).slice(0, PARTICIPANTS);
      const results = await Promise.all(tokens.map((t) => runAnnotator({ baseUrl: urls[t.i % urls.length]!, annotator: t.annotator, token: t.token, seed: t.i + 1, acks })));
      for (const r of results) expect(r.end, String(r.error)).toBe('done');
    }, 120_000);
    afterAll(async () => {
      await other?.close();
      await s.close();
      await drop();
    });

    it('one annotator per participant, whichever request came first', async () => {
      expect(enrolled).toHaveLength(PARTICIPANTS + 10);
      const byParticipant = new Map<string, typeof enrolled>();
      for (const e of enrolled) byParticipant.set(e.participant, [...(byParticipant.get(e.participant) ?? []), e]);
      expect(byParticipant.size).toBe(PARTICIPANTS);
      for (const [participant, answers] of byParticipant) {
        expect(new Set(answers.map((a) => a.annotator))).toEqual(new Set([`study:s1:${participant}`]));
        expect(answers.map((a) => a.status).sort()).toEqual(answers.length === 2 ? [200, 201] : [201]);
      }
      const rows = await sql<{ n: number }>`select count(*) as n from participants`.execute(s.db.kysely);
      expect(Number(rows.rows[0]!.n)).toBe(PARTICIPANTS);
    });

    it('every item ends with exactly K distinct annotators, and nobody passes the quota', async () => {
      expect(acks.length).toBe(ITEMS * K);
      const perItem = new Map<string, string[]>();
      const perAnnotator = new Map<string, number>();
      for (const a of acks) {
        perItem.set(a.itemId, [...(perItem.get(a.itemId) ?? []), a.annotator]);
        perAnnotator.set(a.annotator, (perAnnotator.get(a.annotator) ?? 0) + 1);
      }
      expect(perItem.size).toBe(ITEMS);
      for (const who of perItem.values()) expect(new Set(who).size).toBe(K);
      expect(Math.max(...perAnnotator.values())).toBeLessThanOrEqual(QUOTA);
      // The export agrees with what was acknowledged.
      const rows = (await client(s.url, LEAD)('GET', '/export/participants')).body.participants as { annotator: string; itemsSubmitted: number; status: string }[];
      expect(rows).toHaveLength(PARTICIPANTS);
      for (const r of rows) expect(r.itemsSubmitted).toBe(perAnnotator.get(r.annotator) ?? 0);
      // Those who reached the quota are complete.
      const atQuota = rows.filter((r) => r.itemsSubmitted === QUOTA);
      expect(atQuota.length).toBeGreaterThan(0);
      for (const r of atQuota) expect(r.status).toBe('completed');
    });
  });
}
