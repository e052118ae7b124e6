import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DATABASES, invite, LEAD, recordFor, startTestServer, uuid, writePack, type TestServer } from './support.ts';

/**
 * Bad input on every endpoint: the right status, a located message (the field named as in the
 * command line's messages), never a stack trace, and nothing stored. One server per database;
 * the state is compared before and after all the bad requests.
 */
type Case = readonly [name: string, method: string, path: string, body: unknown, status: number, errorPath: string | undefined, message: RegExp];

const good = () => ({ ...recordFor('0001'), clientId: uuid() });
const without = (key: string) => {
  const r: Record<string, unknown> = good();
  delete r[key];
  return r;
};

const submissionCases: Case[] = [
  ['malformed JSON', 'POST', '/submissions', '{"itemId": ', 400, undefined, /^request body: invalid JSON/],
  ['an array', 'POST', '/submissions', '[]', 400, undefined, /must be a JSON object/],
  ['null', 'POST', '/submissions', 'null', 400, undefined, /must be a JSON object/],
  ['no clientId', 'POST', '/submissions', without('clientId'), 400, 'clientId', /^clientId: required$/],
  ['clientId not a UUID', 'POST', '/submissions', { ...good(), clientId: 'abc' }, 400, 'clientId', /^clientId: must be a UUID$/],
  ['score as a string', 'POST', '/submissions', { ...good(), scores: { plausibility: 3, alignment: 4, aesthetics: 2, overall: '3' } }, 400, 'scores.overall', /^scores\.overall: /],
  [
    'score out of range',
    'POST',
    '/submissions',
    { ...good(), scores: { plausibility: 6, alignment: 4, aesthetics: 2, overall: 3 } },
    400,
    'scores.plausibility',
    /must be from 1 to 5/,
  ],
  ['points not a list', 'POST', '/submissions', { ...good(), points: 'none' }, 400, 'points', /^points: /],
  ['point outside the image', 'POST', '/submissions', { ...good(), points: [{ kind: 'artifact', x: 65, y: 1 }] }, 400, 'points[0].x', /outside the image \(0 to 64\)/],
  ['unknown point kind', 'POST', '/submissions', { ...good(), points: [{ kind: 'blob', x: 1, y: 1 }] }, 400, 'points[0].kind', /^points\[0\]\.kind: /],
  ['token index out of range', 'POST', '/submissions', { ...good(), misalignedTokens: [99] }, 400, 'misalignedTokens[0]', /token index 99 is out of range/],
  ['duplicate token index', 'POST', '/submissions', { ...good(), misalignedTokens: [1, 1] }, 400, 'misalignedTokens[1]', /duplicate token index 1/],
  ['size differs from the pack', 'POST', '/submissions', { ...good(), imageWidth: 65 }, 400, 'imageWidth', /differs from the pack's width 64/],
  ['negative size', 'POST', '/submissions', { ...good(), imageHeight: -4 }, 400, 'imageHeight', /must be positive/],
  ['fractional activeMs', 'POST', '/submissions', { ...good(), activeMs: 1.5 }, 400, 'activeMs', /must be an integer/],
  ['an unknown field', 'POST', '/submissions', { ...good(), points: [{ kind: 'artifact', x: 1, y: 1, z: 0 }] }, 400, 'points[0].z', /^points\[0\]\.z: unknown field$/],
  ['bad submittedAt', 'POST', '/submissions', { ...good(), submittedAt: 'yesterday' }, 400, 'submittedAt', /ISO 8601/],
  ['several problems at once', 'POST', '/submissions', { ...good(), clientId: 1, activeMs: -1 }, 400, 'clientId', /^clientId: must be a UUID; activeMs: must be >= 0$/],
  [
    'a comparison record for a rating item',
    'POST',
    '/submissions',
    { itemId: '0001', left: 0, answers: { plausibility: 1 }, submittedAt: '2026-12-01T10:00:00Z', activeMs: 5, clientId: uuid() },
    400,
    undefined,
    /^a comparison record \(it has "left"\), but item "0001" is a rating item$/,
  ],
  ['left not 0 or 1', 'POST', '/submissions', { ...good(), left: 2 }, 400, 'left', /^left: must be 0 or 1/],
  ['an item never assigned', 'POST', '/submissions', { ...recordFor('0002'), clientId: uuid() }, 409, 'itemId', /never assigned to you/],
  ['an item not in the pack', 'POST', '/submissions', { ...recordFor('nope'), clientId: uuid() }, 409, 'itemId', /not an item of pack "test"/],
  [
    'a huge body',
    'POST',
    '/submissions',
    JSON.stringify({ ...good(), points: Array.from({ length: 30_000 }, () => ({ kind: 'artifact', x: 1.123456789, y: 2.123456789 })) }),
    413,
    undefined,
    /larger than 1048576 bytes/,
  ],
];

const inviteCases: Case[] = [
  ['malformed JSON', 'POST', '/invites', '{', 400, undefined, /^request body: invalid JSON/],
  ['no annotators', 'POST', '/invites', {}, 400, 'annotators', /^annotators: required$/],
  ['annotators not a list', 'POST', '/invites', { annotators: 'alice' }, 400, 'annotators', /^annotators: /],
  ['an empty list', 'POST', '/invites', { annotators: [] }, 400, 'annotators', /at least one annotator/],
  ['a control character', 'POST', '/invites', { annotators: ['ok', 'a\u0007b'] }, 400, 'annotators[1]', /control characters/],
  ['an empty id', 'POST', '/invites', { annotators: [''] }, 400, 'annotators[0]', /must not be empty/],
  ['a duplicate', 'POST', '/invites', { annotators: ['x', 'y', 'x'] }, 400, 'annotators[2]', /duplicate id "x" \(first at annotators\[0\]\)/],
  ['too many', 'POST', '/invites', { annotators: Array.from({ length: 1001 }, (_, i) => `a${i}`) }, 400, 'annotators', /at most 1000/],
  ['an unknown field', 'POST', '/invites', { annotators: ['x'], role: 'lead' }, 400, 'role', /^role: unknown field$/],
  ['a huge body', 'POST', '/invites', JSON.stringify({ annotators: ['x'], pad: 'y'.repeat(300_000) }), 413, undefined, /larger than 262144 bytes/],
];

const otherCases: Case[] = [
  ['exclude with a malformed escape', 'GET', '/next?exclude=%ZZ', undefined, 400, 'exclude', /malformed/],
  ['exclude with too many ids', 'GET', `/next?exclude=${Array.from({ length: 101 }, (_, i) => i).join(',')}`, undefined, 400, 'exclude', /at most 100/],
  ['export without annotator', 'GET', '/export/annotations?annotator=', undefined, 400, 'annotator', /required/],
  ['revoke an unknown annotator', 'DELETE', '/invites/ghost', undefined, 404, 'annotator', /no annotator "ghost"/],
  ['an unknown endpoint', 'PUT', '/next', undefined, 404, undefined, /no such endpoint: PUT \/api\/v1\/next/],
];

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`bad input on ${database.kind}`, () => {
    let s: TestServer;
    let drop: () => Promise<void>;
    let alice: ReturnType<typeof client>;
    let bob: ReturnType<typeof client>;
    let lead: ReturnType<typeof client>;
    let before: unknown;

    async function snapshot() {
      const log = await s.db.kysely
        .selectFrom('submission_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const annotators = await s.db.kysely.selectFrom('annotators').select(['id', 'revoked_at']).orderBy('id').execute();
      const tokens = await s.db.kysely
        .selectFrom('invite_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const progress = (await lead('GET', '/progress')).body;
      const files = await Promise.all(['alice', 'bob'].map(async (a) => (await lead('GET', `/export/annotations?annotator=${a}`)).body));
      return {
        log: Number(log.n),
        tokens: Number(tokens.n),
        annotators,
        progress: { ...progress, annotators: progress.annotators.map((a: object) => ({ ...a, lastSeenAt: null })) },
        files,
      };
    }

    beforeAll(async () => {
      const { file } = writePack(3, { k: 3, withImages: 1 });
      const created = await database.create();
      drop = created.drop;
      s = await startTestServer({ packFile: file, db: created.url });
      lead = client(s.url, LEAD);
      const tokens = await invite(s.url, ['alice', 'bob']);
      alice = client(s.url, tokens.get('alice'));
      bob = client(s.url, tokens.get('bob'));
      await alice('GET', '/next');
      await alice('POST', '/submissions', good()); // alice has one stored record
      await alice('GET', '/next'); // and a lease on 0002… (not 0001, which she submitted)
      before = await snapshot();
    });
    afterAll(async () => {
      await s.close();
      await drop();
    });

    const check = async (c: Case, who: () => ReturnType<typeof client>) => {
      const [, method, path, body, status, errorPath, message] = c;
      const res = await who()(method, path, body);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(Object.keys(res.body)).toEqual(['error']);
      expect(res.body.error.message).toMatch(message);
      expect(res.body.error.path).toBe(errorPath);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
    };

    // bob holds no lease on 0001 (alice does not either, any more): "never assigned" is his case.
    it.each(submissionCases)('POST /submissions, %s', async (...c) => check(c, () => (c[5] === 'itemId' ? bob : alice)));
    it.each(inviteCases)('POST /invites, %s', async (...c) => check(c, () => lead));
    it.each(otherCases)('%s', async (...c) => check(c, () => (c[2].startsWith('/next') ? alice : lead)));

    it('wrong tokens on every endpoint: 401 with a message, whatever the body', async () => {
      const endpoints = [
        ['GET', '/me'],
        ['GET', '/next'],
        ['GET', '/submissions'],
        ['POST', '/submissions'],
        ['POST', '/invites'],
        ['DELETE', '/invites/alice'],
        ['GET', '/progress'],
        ['GET', '/progress/stream'],
        ['GET', '/export/annotations?annotator=alice'],
        ['GET', '/export/dataset'],
        ['GET', '/pack'],
      ] as const;
      for (const [method, path] of endpoints) {
        for (const header of ['Bearer wrong-token', 'Basic YWxpY2U6eA==', `Bearer ${LEAD}x`, 'Bearer']) {
          const res = await fetch(`${s.url}/api/v1${path}`, {
            method,
            headers: { Authorization: header, 'Content-Type': 'application/json' },
            body: method === 'POST' ? '{}' : undefined,
          });
          expect([path, header, res.status]).toEqual([path, header, 401]);
          expect((await res.json()).error.message).toMatch(/not known to this server|sign-in required/);
        }
      }
    });

    it('image URLs: missing, forged or malformed signatures are refused', async () => {
      const url = ((await lead('GET', '/pack')).body.imageUrls as Record<string, string>)['0001']!;
      for (const bad of [
        url.split('?')[0]!,
        url.replace(/sig=.{4}/, 'sig=AAAA'),
        url.replace(/exp=\d+/, 'exp=99999999999'),
        url.replace(/exp=\d+/, 'exp=-1'),
        url.replace('0001?', '0003?'),
      ]) {
        const res = await fetch(s.url + bad);
        expect([bad, res.status]).toEqual([bad, 403]);
        expect((await res.json()).error.message).toContain('not valid');
      }
    });

    it('after all that, nothing was stored or changed', async () => {
      expect(await snapshot()).toEqual(before);
    });
  });
}
