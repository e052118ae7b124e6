import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { qualitySettingsFor } from '../../../src/server/db/qualitySettings.ts';
import { REJECTED_MESSAGE } from '../../../src/core/formats/api.ts';
import { client, DATABASES, invite, LEAD, recordFor, startTestServer, uuid, writePack, type TestServer } from './support.ts';

/** Crowd studies over real HTTP, on each database (issue 16). */
const root = path.resolve(import.meta.dirname, '../../..');
const PROLIFIC = { PROLIFIC_PID: '5f3a9c2e8b1d4e0012345678', STUDY_ID: 'st1', SESSION_ID: 'se1' };

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`crowd studies on ${database.kind}`, () => {
    let server: TestServer | undefined;
    let drop: (() => Promise<void>) | undefined;
    let clock = Date.parse('2026-11-26T10:17:00Z');

    async function start(items = 4, k = 2, extra: { enrolment?: Parameters<typeof startTestServer>[0]['enrolment'] } = {}) {
      const { file } = writePack(items, { k });
      const created = await database.create();
      drop = created.drop;
      clock = Date.parse('2026-11-26T10:17:00Z');
      server = await startTestServer({ packFile: file, db: created.url, now: () => clock, leaseMs: 60_000, ...extra });
      return { s: server, lead: client(server.url, LEAD), anyone: client(server.url, undefined) };
    }

    afterEach(async () => {
      await server?.close();
      await drop?.();
      server = undefined;
      drop = undefined;
    });

    async function count(s: TestServer, table: 'annotators' | 'participants' | 'invite_tokens'): Promise<number> {
      return Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(s.db.kysely)).rows[0]!.n);
    }

    /** Labels items until /next says 204; returns the item ids submitted. */
    async function labelAll(call: ReturnType<typeof client>): Promise<string[]> {
      const done: string[] = [];
      for (;;) {
        const next = await call('GET', '/next');
        if (next.status === 204) return done;
        expect(next.status).toBe(200);
        const sent = await call('POST', '/submissions', { ...recordFor(next.body.item.id), clientId: uuid() });
        expect(sent.status).toBe(200);
        done.push(next.body.item.id);
      }
    }

    it('a study is made, listed, changed and closed; its token is kept only as a hash', async () => {
      const { s, lead } = await start();
      const made = await lead('POST', '/studies', {
        name: 'Pilot',
        quota: 2,
        completionCode: 'C1A2B3',
        completionUrl: 'https://app.prolific.com/submissions/complete?cc={code}',
        maxParticipants: 10,
      });
      expect(made.status).toBe(201);
      const study = made.body.study;
      expect(study).toMatchObject({ id: 's1', name: 'Pilot', open: true, quota: 2, maxParticipants: 10, completionCode: 'C1A2B3', participants: 0, completed: 0 });
      expect(study.url).toBe(`${s.publicUrl}/?study=${study.token}`);
      const stored = await sql<{ token_hash: string }>`select token_hash from studies`.execute(s.db.kysely);
      expect(stored.rows[0]!.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(stored.rows)).not.toContain(study.token);

      const listed = await lead('GET', '/studies');
      expect(listed.body.studies).toHaveLength(1);
      expect(listed.body.studies[0].token).toBeUndefined();
      expect(listed.body.studies[0].url).toBeUndefined();

      const patched = await lead('PATCH', '/studies/s1', { quota: 5, open: false, quality: { training: 2 } });
      expect(patched.body.study).toMatchObject({ open: false, quota: 5, quality: { training: 2 } });
      expect((await lead('PATCH', '/studies/s1', { open: true })).body.study.open).toBe(true);
      const closed = await lead('DELETE', '/studies/s1');
      expect(closed.body.study.open).toBe(false);
      expect(closed.body.study.closedAt).toBe(new Date(clock).toISOString());

      // Without a code the server makes one.
      const second = await lead('POST', '/studies', { name: 'Second' });
      expect(second.body.study.id).toBe('s2');
      expect(second.body.study.completionCode).toMatch(/^[A-Z2-9]{8}$/);

      // Located refusals, nothing stored.
      expect(await lead('POST', '/studies', { name: '', quota: 0 })).toMatchObject({ status: 400, body: { error: { path: 'name' } } });
      expect(await lead('POST', '/studies', { name: 'x', completionUrl: 'javascript:alert(1)' })).toMatchObject({ status: 400, body: { error: { path: 'completionUrl' } } });
      expect(await lead('PATCH', '/studies/s9', { open: true })).toMatchObject({ status: 404, body: { error: { path: 'id' } } });
      expect(await lead('PATCH', '/studies/s1', { colour: 'red' })).toMatchObject({ status: 400, body: { error: { path: 'colour' } } });
      expect((await lead('GET', '/studies')).body.studies).toHaveLength(2);
      // Annotators may not manage studies.
      const tokens = await invite(s.url, ['alice']);
      expect((await client(s.url, tokens.get('alice'))('GET', '/studies')).status).toBe(403);
    });

    it('a participant enrols, labels up to the quota, and only then gets the code; the same participant again is the same annotator', async () => {
      const { s, lead, anyone } = await start(6, 2);
      const { study } = (await lead('POST', '/studies', { name: 'Pilot', quota: 2, completionCode: 'C1A2B3', completionUrl: 'https://example.org/done?cc={code}' })).body;
      const first = await anyone('POST', '/studies/enrol', { study: study.token, participant: PROLIFIC.PROLIFIC_PID, platform: PROLIFIC });
      expect(first.status).toBe(201);
      expect(first.body.annotator).toBe(`study:s1:${PROLIFIC.PROLIFIC_PID}`);
      const p = client(s.url, first.body.token);
      const me = await p('GET', '/me');
      expect(me.body).toMatchObject({ role: 'annotator', annotator: first.body.annotator, submitted: 0, study: { id: 's1', name: 'Pilot', quota: 2, completed: false } });
      expect(me.body.study.completionCode).toBeUndefined();

      // One item submitted, one held: the code still waits.
      const a = await p('GET', '/next');
      await p('POST', '/submissions', { ...recordFor(a.body.item.id), clientId: uuid() });
      const b = await p('GET', '/next');
      expect(b.status).toBe(200);
      // The quota counts leases held: no third item while the second is out.
      expect((await p('GET', `/next?exclude=${b.body.item.id}`)).status).toBe(204);
      expect((await p('GET', '/me')).body.study.completed).toBe(false);

      // Another browser: the same annotator, a second working token; the first keeps working.
      const again = await anyone('POST', '/studies/enrol', { study: study.token, participant: PROLIFIC.PROLIFIC_PID, platform: PROLIFIC });
      expect(again.status).toBe(200);
      expect(again.body.annotator).toBe(first.body.annotator);
      expect(again.body.token).not.toBe(first.body.token);
      const p2 = client(s.url, again.body.token);
      expect((await p2('GET', '/next')).body.item.id).toBe(b.body.item.id);
      expect((await p2('POST', '/submissions', { ...recordFor(b.body.item.id), clientId: uuid() })).status).toBe(200);

      const done = await p('GET', '/me');
      expect(done.body.study).toEqual({
        id: 's1',
        name: 'Pilot',
        quota: 2,
        completed: true,
        completedAt: new Date(clock).toISOString(),
        completionCode: 'C1A2B3',
        completionUrl: 'https://example.org/done?cc=C1A2B3',
      });
      expect((await p('GET', '/next')).status).toBe(204);
      expect(await count(s, 'participants')).toBe(1);

      // The export: JSON by default, CSV by ?format=csv or Accept: text/csv.
      const json = await lead('GET', '/export/participants');
      expect(json.body.participants).toEqual([
        {
          participant: PROLIFIC.PROLIFIC_PID,
          annotator: first.body.annotator,
          study: 's1',
          studyName: 'Pilot',
          prolificPid: PROLIFIC.PROLIFIC_PID,
          prolificStudyId: 'st1',
          prolificSessionId: 'se1',
          workerId: null,
          assignmentId: null,
          hitId: null,
          itemsSubmitted: 2,
          startedAt: new Date(clock).toISOString(),
          completedAt: new Date(clock).toISOString(),
          activeMs: 24_000,
          status: 'completed',
        },
      ]);
      const csv = await lead('GET', '/export/participants?format=csv');
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.body).toBe(
        'participant,annotator,study,studyName,prolificPid,prolificStudyId,prolificSessionId,workerId,assignmentId,hitId,itemsSubmitted,startedAt,completedAt,activeMs,status\r\n' +
          `${PROLIFIC.PROLIFIC_PID},study:s1:${PROLIFIC.PROLIFIC_PID},s1,Pilot,${PROLIFIC.PROLIFIC_PID},st1,se1,,,,2,2026-11-26T10:17:00.000Z,2026-11-26T10:17:00.000Z,24000,completed\r\n`,
      );
      expect((await lead('GET', '/export/participants', undefined, { Accept: 'text/csv' })).body).toBe(csv.body);
      expect(await lead('GET', '/export/participants?format=xml')).toMatchObject({ status: 400, body: { error: { path: 'format' } } });
      expect(await lead('GET', '/export/participants?study=s7')).toMatchObject({ status: 404 });
      const progress = await lead('GET', '/progress');
      expect(progress.body.annotators.map((x: { id: string }) => x.id)).toEqual([first.body.annotator]);
    });

    it('nothing left for a participant: complete once no lease of theirs or others could bring more', async () => {
      const { s, lead, anyone } = await start(2, 1);
      const { study } = (await lead('POST', '/studies', { name: 'Open-ended' })).body;
      const enrol = async (participant: string) => client(s.url, (await anyone('POST', '/studies/enrol', { study: study.token, participant })).body.token);
      const p1 = await enrol('p1');
      const p2 = await enrol('p2');
      const a = await p1('GET', '/next');
      expect(a.status).toBe(200);
      // p2 takes the other item; p1's is held: p2 must wait, not finish.
      const b = await p2('GET', '/next');
      const wait = await p2('GET', `/next?exclude=${b.body.item.id}`);
      expect(wait.status).toBe(204);
      expect((await p2('GET', '/me')).body.study.completed).toBe(false);
      await p2('POST', '/submissions', { ...recordFor(b.body.item.id), clientId: uuid() });
      const held = await p2('GET', '/next');
      expect(held.status).toBe(204);
      expect(held.headers.get('retry-after')).not.toBeNull();
      expect((await p2('GET', '/me')).body.study.completed).toBe(false);
      await p1('POST', '/submissions', { ...recordFor(a.body.item.id), clientId: uuid() });
      expect((await p2('GET', '/next')).status).toBe(204);
      expect((await p2('GET', '/me')).body.study.completed).toBe(true);
      expect((await p1('GET', '/next')).status).toBe(204);
      expect((await p1('GET', '/me')).body.study.completed).toBe(true);
    });

    it('closed, full, unknown and revoked are refused, located, with nothing stored; an existing participant comes back to a closed study', async () => {
      const { s, lead, anyone } = await start();
      const { study } = (await lead('POST', '/studies', { name: 'Small', maxParticipants: 1 })).body;
      const ok = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p1', platform: { workerId: 'A1B2C3', assignmentId: 'AS1', hitId: 'H1' } });
      expect(ok.status).toBe(201);
      const stored = { annotators: await count(s, 'annotators'), participants: await count(s, 'participants'), tokens: await count(s, 'invite_tokens') };

      const refusals: [unknown, number, string, RegExp][] = [
        [{ study: study.token, participant: 'p2' }, 403, 'study', /this study is full/],
        [{ study: 'x'.repeat(43), participant: 'p2' }, 404, 'study', /not known/],
        [{ study: 'not a token!', participant: 'p2' }, 400, 'study', /study: is not a token/],
        [{ study: study.token, participant: 'p 2' }, 400, 'participant', /participant: may hold only letters/],
        [{ study: study.token, participant: 'p'.repeat(65) }, 400, 'participant', /at most 64/],
        [{ study: study.token, participant: '' }, 400, 'participant', /must not be empty/],
        [{ study: study.token }, 400, 'participant', /participant: /],
        [{ study: study.token, participant: 'p2', platform: { PROLIFIC_PID: 'a/b' } }, 400, 'platform.PROLIFIC_PID', /may hold only/],
        [{ study: study.token, participant: 'p2', platform: { email: 'x@y' } }, 400, 'platform.email', /unknown field/],
      ];
      for (const [body, status, path, message] of refusals) {
        const res = await anyone('POST', '/studies/enrol', body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.body.error.path).toBe(path);
        expect(res.body.error.message).toMatch(message);
      }
      expect(await anyone('POST', '/studies/enrol', '{"study":')).toMatchObject({ status: 400 });

      await lead('DELETE', '/studies/s1');
      await lead('PATCH', '/studies/s1', { maxParticipants: null });
      const closed = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p2' });
      expect(closed).toMatchObject({ status: 403, body: { error: { path: 'study', message: 'study: this study is closed and takes no new participants' } } });
      // Those already in keep working, from another browser too.
      const back = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      expect(back.status).toBe(200);
      expect((await client(s.url, back.body.token)('GET', '/next')).status).toBe(200);

      // Revoked: refused at enrolment, with every token of theirs.
      expect((await lead('DELETE', `/invites/${encodeURIComponent(ok.body.annotator)}`)).status).toBe(200);
      const revoked = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      expect(revoked).toMatchObject({ status: 403, body: { error: { path: 'participant' } } });
      expect(revoked.body.error.message).toMatch(/removed from this study/);
      expect((await client(s.url, ok.body.token)('GET', '/me')).status).toBe(401);
      expect((await client(s.url, back.body.token)('GET', '/me')).status).toBe(401);
      // A new link: the old one stops enrolling.
      const renewed = await lead('PATCH', '/studies/s1', { newLink: true, open: true });
      expect(renewed.body.study.url).toBe(`${s.publicUrl}/?study=${renewed.body.study.token}`);
      expect((await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p3' })).status).toBe(404);
      expect((await anyone('POST', '/studies/enrol', { study: renewed.body.study.token, participant: 'p3' })).status).toBe(201);

      expect(await count(s, 'participants')).toBe(stored.participants + 1);
      expect(await count(s, 'annotators')).toBe(stored.annotators + 1);
      // p1 came back once (one more token); p3 enrolled (one).
      expect(await count(s, 'invite_tokens')).toBe(stored.tokens + 2);
      const rows = (await lead('GET', '/export/participants')).body.participants;
      expect(rows.map((r: { participant: string; status: string; workerId: string | null }) => [r.participant, r.status, r.workerId])).toEqual([
        ['p1', 'revoked', 'A1B2C3'],
        ['p3', 'working', null],
      ]);
    });

    it('a participant the lead rejected cannot come back through the link; their row says rejected; accepting lets them back', async () => {
      const { s, lead, anyone } = await start();
      const { study } = (await lead('POST', '/studies', { name: 'Crowd' })).body;
      const first = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      expect(first.status).toBe(201);
      const tokens = await count(s, 'invite_tokens');
      expect((await lead('POST', `/annotators/${encodeURIComponent(first.body.annotator)}/reject`, { reason: 'random answers' })).body.status).toBe('rejected');

      const again = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      expect(again).toMatchObject({ status: 403, body: { error: { path: 'participant', message: `participant: ${REJECTED_MESSAGE}` } } });
      expect(await count(s, 'invite_tokens')).toBe(tokens);
      expect((await client(s.url, first.body.token)('GET', '/next')).status).toBe(401);
      const rows = (await lead('GET', '/export/participants')).body.participants;
      expect(rows.map((r: { participant: string; status: string }) => [r.participant, r.status])).toEqual([['p1', 'rejected']]);

      expect((await lead('POST', `/annotators/${encodeURIComponent(first.body.annotator)}/accept`, {})).body.status).toBe('active');
      const back = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      expect(back).toMatchObject({ status: 200, body: { annotator: first.body.annotator } });
    });

    it('an older database with an invited annotator of the study form migrates; they keep working, no study takes their prefix, invites refuse the form', async () => {
      // A database of the release before studies, holding an invited "study:s1:p1".
      const { file } = writePack(4, { k: 2 });
      const created = await database.create();
      drop = created.drop;
      // Made by another process, as an older release would have: SQLite's file lock stays with
      // the process that opened it (the compiled code is current: the test set-up builds it).
      const script = `
        import { openDatabase } from './build/server/db/database.js';
        import { MIGRATIONS, migrate } from './build/server/db/migrate.js';
        const db = await openDatabase(process.argv[1]);
        await migrate(db, MIGRATIONS.filter((m) => m.version < 10));
        await db.write((tx) => tx.insertInto('annotators').values({ id: 'study:s1:p1', created_at: 1, revoked_at: null, last_seen_at: null }).execute());
        await db.close();`;
      await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, created.url], { cwd: root });
      server = await startTestServer({ packFile: file, db: created.url, now: () => clock });
      const s = server;
      expect(s.migration.from).toBe(2);
      const lead = client(s.url, LEAD);
      const anyone = client(s.url, undefined);

      // Re-inviting that annotator still works; a new id of the form is refused, located, nothing stored.
      const legacy = await invite(s.url, ['study:s1:p1']);
      const refused = await lead('POST', '/invites', { annotators: ['bob', 'study:s9:p1'] });
      expect(refused).toMatchObject({ status: 400, body: { error: { path: 'annotators[1]' } } });
      expect(refused.body.error.message).toMatch(/kept for crowd-study participants/);
      expect(await count(s, 'annotators')).toBe(1);

      const { study } = (await lead('POST', '/studies', { name: 'After the upgrade' })).body;
      expect(study.id).toBe('s2');
      const p1 = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      expect(p1.body.annotator).toBe('study:s2:p1');
      expect((await client(s.url, legacy.get('study:s1:p1'))('GET', '/me')).body).toMatchObject({ annotator: 'study:s1:p1' });
      expect((await client(s.url, legacy.get('study:s1:p1'))('GET', '/me')).body.study).toBeUndefined();
      // A participant's annotator cannot be taken over by an invite.
      expect((await lead('POST', '/invites', { annotators: ['study:s2:p1'] })).status).toBe(400);
    });

    it("an annotator's quality settings: the pack's, overridden field by field by their study's", async () => {
      const { file } = writePack(4, { k: 2 });
      const pack = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
      writeFileSync(file, JSON.stringify({ ...pack, version: 2, quality: { training: 3, goldEvery: 10 } }));
      const created = await database.create();
      drop = created.drop;
      server = await startTestServer({ packFile: file, db: created.url });
      const s = server;
      const lead = client(s.url, LEAD);
      const { study } = (await lead('POST', '/studies', { name: 'Q', quality: { goldEvery: 4 } })).body;
      const p = await client(s.url, undefined)('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      await invite(s.url, ['alice']);
      expect(await qualitySettingsFor(s.db, 'alice')).toEqual({ training: 3, goldEvery: 10 });
      expect(await s.db.write((tx) => qualitySettingsFor(tx, p.body.annotator))).toEqual({ training: 3, goldEvery: 4 });
      await lead('PATCH', `/studies/${study.id}`, { quality: { training: 0 } });
      expect(await qualitySettingsFor(s.db, p.body.annotator)).toEqual({ training: 0, goldEvery: 4 });
    });

    it('enrolments are rate-limited per client address, in bounded memory', async () => {
      const { s, lead, anyone } = await start(4, 2, { enrolment: { perAddress: { burst: 3, perMinute: 3 } } });
      const { study } = (await lead('POST', '/studies', { name: 'Flood' })).body;
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await anyone('POST', '/studies/enrol', { study: study.token, participant: `fake${i}` })).status);
      expect(statuses).toEqual([201, 201, 201, 429, 429]);
      const limited = await anyone('POST', '/studies/enrol', { study: study.token, participant: 'fake9' });
      expect(limited.headers.get('retry-after')).toBe('20');
      expect(await count(s, 'participants')).toBe(3);
      clock += 20_000;
      expect((await anyone('POST', '/studies/enrol', { study: study.token, participant: 'fake9' })).status).toBe(201);
    });

    it("the quota ends a participant's work; lowering it lets them send what they hold, then completes them", async () => {
      const { s, lead, anyone } = await start(6, 3);
      const { study } = (await lead('POST', '/studies', { name: 'Q', quota: 3 })).body;
      const p = client(s.url, (await anyone('POST', '/studies/enrol', { study: study.token, participant: 'q1' })).body.token);
      const got = await labelAll(p);
      expect(got).toHaveLength(3);
      expect((await p('GET', '/me')).body.study.completed).toBe(true);

      const q2 = client(s.url, (await anyone('POST', '/studies/enrol', { study: study.token, participant: 'q2' })).body.token);
      const a = await q2('GET', '/next');
      await q2('POST', '/submissions', { ...recordFor(a.body.item.id), clientId: uuid() });
      const b = await q2('GET', '/next');
      expect(b.status).toBe(200);
      await lead('PATCH', '/studies/s1', { quota: 1 });
      expect((await q2('GET', `/next?exclude=${b.body.item.id}`)).status).toBe(204);
      expect((await q2('GET', '/me')).body.study.completed).toBe(false);
      // The held item is still theirs to send; then they are complete.
      expect((await q2('POST', '/submissions', { ...recordFor(b.body.item.id), clientId: uuid() })).status).toBe(200);
      expect((await q2('GET', '/next')).status).toBe(204);
      expect((await q2('GET', '/me')).body.study.completed).toBe(true);
    });
  });
}
