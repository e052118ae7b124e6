import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { client, DATABASES, invite, LEAD, recordFor, serverPerTest, uuid, writePack } from './support.ts';

/**
 * The lead previews a study as a participant (issue 16): `POST /studies/{id}/preview` makes a
 * preview participant and gives a sign-in link. The preview works as a participant does (the
 * quota, the completion code), but none of their submissions counts toward K or enters the
 * exports, and they are not among the study's participants.
 */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`study previews on ${database.kind}`, () => {
    const start = serverPerTest(database);

    it('a preview labels to the quota and sees the code; its work leaves K, the exports and the participants as they were', async () => {
      const server = await start(writePack(2, { k: 1 }).file);
      const lead = client(server.url, LEAD);
      const { study } = (await lead('POST', '/studies', { name: 'Pilot', quota: 1, maxParticipants: 1, completionCode: 'C0DE42' })).body;

      const made = await lead('POST', `/studies/${study.id}/preview`);
      expect(made.status).toBe(201);
      expect(made.body).toEqual({ participant: 'preview-1', annotator: `study:${study.id}:preview-1`, url: `${server.url}/?invite=${made.body.token}`, token: made.body.token });
      const second = await lead('POST', `/studies/${study.id}/preview`);
      expect(second.body.participant).toBe('preview-2');

      const preview = client(server.url, made.body.token);
      const me = await preview('GET', '/me');
      expect(me.body).toMatchObject({ annotator: `study:${study.id}:preview-1`, study: { name: 'Pilot', quota: 1, completed: false } });
      const next = await preview('GET', '/next');
      expect(next.status).toBe(200);
      const first = next.body.item.id as string;
      expect((await preview('POST', '/submissions', { ...recordFor(first), clientId: uuid() })).status).toBe(200);
      expect((await preview('GET', '/next')).status).toBe(204); // the quota of 1 is reached
      expect((await preview('GET', '/me')).body.study).toMatchObject({ completed: true, completionCode: 'C0DE42' });

      // Nothing of theirs counts: the item they labelled is still open for K = 1 …
      // (the dashboard lists the preview's one submission as rejected, with its reason on the quality page)
      const progress = (await lead('GET', '/progress')).body;
      expect(progress).toMatchObject({ submissions: 1, completeItems: 0 });
      expect(progress.annotators).toEqual([
        expect.objectContaining({ id: made.body.annotator, submitted: 1, rejectedSubmissions: 1 }),
        expect.objectContaining({ id: second.body.annotator, submitted: 0 }),
      ]);
      const annotator = client(server.url, (await invite(server.url, ['alice'])).get('alice'));
      const got: string[] = [];
      for (let r = await annotator('GET', '/next'); r.status === 200; r = await annotator('GET', '/next')) {
        got.push(r.body.item.id);
        expect((await annotator('POST', '/submissions', { ...recordFor(r.body.item.id), clientId: uuid() })).status).toBe(200);
      }
      expect(got).toContain(first);
      // … the exports hold only alice's work …
      const records = (await lead('GET', `/export/annotations?annotator=${encodeURIComponent(made.body.annotator)}`)).body.annotations;
      expect(records).toEqual([]);
      expect((await lead('GET', '/export/dataset')).body.items.map((i: { annotators: string[] }) => i.annotators)).toEqual([['alice'], ['alice']]);
      // … and the study's one place is still free for a real participant.
      const listed = (await lead('GET', `/studies/${study.id}`)).body.study;
      expect(listed).toMatchObject({ participants: 0, completed: 0 });
      expect((await lead('GET', '/export/participants?format=json')).body.participants).toEqual([]);
      const enrolled = await client(server.url, undefined)('POST', '/studies/enrol', { study: study.token, participant: 'p1' });
      expect(enrolled.status).toBe(201);
    });

    it('a participant id "preview-1" from before previews (enrolled through the link then) is not taken again', async () => {
      const server = await start(writePack(2, { k: 1 }).file);
      const lead = client(server.url, LEAD);
      const { study } = (await lead('POST', '/studies', { name: 'Pilot' })).body;
      // What the README advised before previews existed: the study link with &participant=preview-1.
      await sql`insert into annotators (id, created_at) values (${`study:${study.id}:preview-1`}, 0)`.execute(server.db.kysely);
      await sql`insert into participants (annotator, study_id, participant, platform, enrolled_at) values (${`study:${study.id}:preview-1`}, ${study.id}, 'preview-1', '{}', 0)`.execute(
        server.db.kysely,
      );
      const made = await lead('POST', `/studies/${study.id}/preview`);
      expect(made.status).toBe(201);
      expect(made.body.participant).toBe('preview-2');
    });

    it('a platform cannot send a preview id; an unknown study is 404', async () => {
      const server = await start(writePack(2, { k: 1 }).file);
      const lead = client(server.url, LEAD);
      const { study } = (await lead('POST', '/studies', { name: 'Pilot' })).body;
      await lead('POST', `/studies/${study.id}/preview`);
      const taken = await client(server.url, undefined)('POST', '/studies/enrol', { study: study.token, participant: 'preview-1' });
      expect(taken.status).toBe(400);
      expect(taken.body.error).toMatchObject({ path: 'participant' });
      expect(taken.body.error.message).toContain('"preview-" are kept for the researcher\'s previews');
      const missing = await lead('POST', '/studies/s9/preview');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe('id: no study "s9"');
      expect((await client(server.url, undefined)('POST', `/studies/${study.id}/preview`)).status).toBe(401);
    });
  });
}
