import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { command as compareCommand } from '../../../src/cli/commands/compare.ts';
import { leftImage } from '../../../src/core/compare/sides.ts';
import { encodeGrayPng } from '../../../src/core/encode/png.ts';
import type { TaskPack } from '../../../src/core/formats/taskpack.ts';
import { client, DATABASES, invite, LEAD, recordFor, startTestServer, uuid, type TestServer } from './support.ts';

/**
 * Blind comparisons on the collection server (issue 18), on each database: comparison items
 * are handed to K distinct annotators like rating items, each with the side core's draw gives
 * (annotator, position in their sequence of comparison items), kept on a renewed lease; no
 * answer to an annotator names a system (bodies, image URLs, headers); records are checked
 * against their item and the side drawn; the report is `richhf compare`'s on the exported files.
 */

/** System names that must never reach an annotator; the lead's pack even files the images under them. */
const SYSTEMS = ['sysalpha-secret', 'sysomega-secret'] as const;
const SEED_PACK = 'blind-study';

function png(seed: number): Uint8Array {
  return encodeGrayPng(
    24,
    16,
    new Uint8Array(24 * 16).map((_, i) => (seed * 53 + i) & 255),
  );
}

/**
 * The lead's pack: comparison items c1-c4 (c3 asks two criteria; in c2 and c4 the second system's
 * image comes first), a rating item r1 between them, K = `k`. `blind` strips the systems (the
 * annotators' pack).
 */
function writeComparisonPack(k: number, blind = false): { file: string; dir: string; pack: TaskPack } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-cmp-pack-'));
  for (const s of SYSTEMS) mkdirSync(path.join(dir, 'images', s), { recursive: true });
  const item = (n: number, swap: boolean, criteria?: ('plausibility' | 'alignment')[]) => {
    const imgs = SYSTEMS.map((s, j) => {
      const image = `images/${s}/p${n}.png`;
      writeFileSync(path.join(dir, image), png(n * 2 + j));
      return blind ? { image } : { image, system: s };
    });
    const images = (swap ? [imgs[1]!, imgs[0]!] : imgs) as [{ image: string; system?: string }, { image: string; system?: string }];
    return { id: `c${n}`, kind: 'compare' as const, prompt: `prompt number ${n}`, images, ...(criteria ? { criteria } : {}) };
  };
  mkdirSync(path.join(dir, 'images', 'r'), { recursive: true });
  writeFileSync(path.join(dir, 'images', 'r', 'r1.png'), encodeGrayPng(64, 48, new Uint8Array(64 * 48).fill(90)));
  const pack: TaskPack = {
    format: 'richhf-taskpack',
    version: 2,
    name: SEED_PACK,
    annotatorsPerItem: k,
    items: [
      item(1, false),
      item(2, true),
      { id: 'r1', image: 'images/r/r1.png', prompt: 'a red cat on a blue sofa', width: 64, height: 48 },
      item(3, false, ['plausibility', 'alignment']),
      item(4, true),
    ],
  };
  const file = path.join(dir, 'pack.json');
  writeFileSync(file, JSON.stringify(pack, null, 2));
  return { file, dir, pack };
}

interface Seen {
  readonly where: string;
  readonly text: string;
}

/** Everything an annotator's browser received: bodies and header values of every answer. */
function leakCheck(seen: readonly Seen[]) {
  expect(seen.length).toBeGreaterThan(0);
  for (const s of seen) for (const name of SYSTEMS) expect(s.text.includes(name), `${s.where} names ${name}`).toBe(false);
}

async function fetchSeen(url: string, seen: Seen[], init?: RequestInit): Promise<{ status: number; body: ArrayBuffer; text: string; headers: Headers }> {
  const res = await fetch(url, init);
  const body = await res.arrayBuffer();
  const text = new TextDecoder().decode(body);
  seen.push({ where: `${init?.method ?? 'GET'} ${url}`, text: url + '\n' + text + '\n' + [...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n') });
  return { status: res.status, body, text, headers: res.headers };
}

/** A comparison record as the page would send it, with its answers given on the screen's scale turned into the item's terms. */
function cmpRecord(itemId: string, left: 0 | 1, answers: Record<string, number>, submittedAt = '2026-12-01T10:00:00.000Z') {
  return { itemId, left, answers, submittedAt, activeMs: 3000 };
}

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`comparison items on ${database.kind}`, () => {
    let server: TestServer | undefined;
    let drop: (() => Promise<void>) | undefined;
    const temps: string[] = [];
    let clock = Date.parse('2026-12-01T09:00:00Z');

    async function start(k: number, options: { blind?: boolean; leaseMs?: number } = {}) {
      const written = writeComparisonPack(k, options.blind);
      temps.push(written.dir);
      const created = await database.create();
      drop = created.drop;
      clock = Date.parse('2026-12-01T09:00:00Z');
      server = await startTestServer({ packFile: written.file, db: created.url, now: () => clock, leaseMs: options.leaseMs ?? 60_000 });
      return { s: server, lead: client(server.url, LEAD), ...written };
    }

    afterEach(async () => {
      await server?.close();
      await drop?.();
      server = undefined;
      drop = undefined;
      for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
    });

    it('hands each item to K distinct annotators, with the side of the core draw, names no system, and reports as richhf compare does', async () => {
      const { s, lead, file, dir, pack } = await start(2);
      const tokens = await invite(s.url, ['ann', 'bea', 'cid']);
      const seen: Seen[] = [];
      const given = new Map<string, string[]>(); // item -> annotators
      const sequence = new Map<string, string[]>(); // annotator -> their comparison items in hand-out order
      const sides = new Map<string, 0 | 1>(); // `${annotator}/${item}` -> left
      let expectedPlausibility = [0, 0, 0, 0, 0]; // sysalpha much better … sysomega much better
      const done = new Set<string>();
      // Round robin: each asks for an item and answers it, until nobody gets one.
      while (done.size < 3) {
        for (const [who, token] of tokens) {
          if (done.has(who)) continue;
          const next = await fetchSeen(`${s.url}/api/v1/next`, seen, { headers: { Authorization: `Bearer ${token}` } });
          if (next.status === 204) {
            done.add(who);
            continue;
          }
          expect(next.status).toBe(200);
          const item = JSON.parse(next.text).item;
          given.set(item.id, [...(given.get(item.id) ?? []), who]);
          let record: object;
          if (item.kind === 'compare') {
            const mine = sequence.get(who) ?? [];
            expect(item.left).toBe(leftImage(SEED_PACK, who, mine.length));
            sequence.set(who, [...mine, item.id]);
            sides.set(`${who}/${item.id}`, item.left);
            const packItem = pack.items.find((it) => it.id === item.id)!;
            expect(item).toMatchObject({ prompt: packItem.prompt, criteria: 'criteria' in packItem && packItem.criteria ? packItem.criteria : ['plausibility'] });
            expect(Object.keys(item).sort()).toEqual(['criteria', 'id', 'images', 'kind', 'left', 'prompt']);
            // Both images load, byte for byte the pack's files, in the item's order.
            for (const j of [0, 1] as const) {
              expect(Object.keys(item.images[j]).sort()).toEqual(['height', 'image', 'width']);
              expect(item.images[j]).toMatchObject({ width: 24, height: 16 });
              const img = await fetchSeen(s.url + item.images[j].image, seen);
              expect(img.status).toBe(200);
              const source = (packItem as { images: { image: string }[] }).images[j]!.image;
              expect(Buffer.from(img.body).equals(readFileSync(path.join(dir, source)))).toBe(true);
              expect(img.headers.get('content-disposition')).toBeNull();
            }
            // The annotator prefers sysomega's image on plausibility when it is on the right, else calls it a tie.
            const omegaAt = (packItem as { images: { system?: string }[] }).images.findIndex((im) => im.system === 'sysomega-secret');
            const omegaOnRight = (item.left === 0 ? 1 : 0) === omegaAt;
            const screen = omegaOnRight ? 2 : 0; // 2: "Right is much better"
            const answer = item.left === 0 ? screen : -screen; // in the item's terms
            expectedPlausibility = expectedPlausibility.map((n, i) => n + (i === (omegaOnRight ? 4 : 2) ? 1 : 0));
            const answers: Record<string, number> = { plausibility: answer };
            if (item.criteria.includes('alignment')) answers.alignment = 0;
            record = cmpRecord(item.id, item.left, answers);
          } else {
            record = recordFor(item.id);
          }
          const sent = await fetchSeen(`${s.url}/api/v1/submissions`, seen, {
            method: 'POST',
            headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
            body: JSON.stringify({ ...record, clientId: uuid() }),
          });
          expect(sent.status, sent.text).toBe(200);
        }
      }
      // K = 2 distinct annotators per item, and the third got nothing more.
      for (const it of pack.items) {
        expect(given.get(it.id)).toHaveLength(2);
        expect(new Set(given.get(it.id)).size).toBe(2);
      }
      for (const [who, token] of tokens) {
        const mine = await fetchSeen(`${s.url}/api/v1/submissions`, seen, { headers: { Authorization: `Bearer ${token}` } });
        const body = JSON.parse(mine.text);
        for (const { item, record } of body.submissions.filter((x: { item: { kind?: string } }) => x.item.kind === 'compare')) {
          expect(item.left).toBe(sides.get(`${who}/${item.id}`));
          expect(record.left).toBe(item.left);
        }
      }
      leakCheck(seen);

      // The lead's pack names the systems, with both images of each comparison item loadable.
      const packAnswer = await lead('GET', '/pack');
      expect(packAnswer.body.pack).toEqual(pack);
      expect(Object.keys(packAnswer.body.imageUrls)).toEqual(['r1']);
      expect(Object.keys(packAnswer.body.comparisonImageUrls)).toEqual(['c1', 'c2', 'c3', 'c4']);

      // The report: equal to richhf compare's on the annotation files the server exports.
      const exported = mkdtempSync(path.join(os.tmpdir(), 'richhf-cmp-export-'));
      temps.push(exported);
      const files: string[] = [];
      for (const who of tokens.keys()) {
        const f = await lead('GET', `/export/annotations?annotator=${who}`);
        expect(f.status).toBe(200);
        files.push(path.join(exported, `${who}.json`));
        writeFileSync(files.at(-1)!, JSON.stringify(f.body));
      }
      const out = path.join(exported, 'report.json');
      const err: string[] = [];
      const code = await compareCommand.run(['--pack', file, '--out', out, ...files], { out: () => undefined, err: (t) => err.push(t), isTty: false });
      expect(code, err.join('')).toBe(0);
      const report = await fetch(`${s.url}/api/v1/export/comparison`, { headers: { Authorization: `Bearer ${LEAD}` } });
      expect(report.status).toBe(200);
      expect(report.headers.get('content-type')).toContain('application/json');
      const text = await report.text();
      expect(text).toBe(readFileSync(out, 'utf8'));
      const parsed = JSON.parse(text);
      expect(parsed.systems).toEqual([...SYSTEMS]);
      const plaus = parsed.results.find((r: { criterion: string }) => r.criterion === 'plausibility');
      expect(plaus.counts).toEqual(expectedPlausibility);
      expect(plaus.n).toBe(8);
      const align = parsed.results.find((r: { criterion: string }) => r.criterion === 'alignment');
      expect(align.counts).toEqual([0, 0, 2, 0, 0]);
      // Seed and resamples as on the command line.
      const seeded = await lead('GET', '/export/comparison?seed=7&resamples=200');
      expect(seeded.status).toBe(200);
      expect((await lead('GET', '/export/comparison?seed=x')).body.error.path).toBe('seed');
      expect((await lead('GET', '/export/comparison?resamples=0')).body.error.path).toBe('resamples');
      // Annotators may not have it.
      expect((await client(s.url, tokens.get('ann'))('GET', '/export/comparison')).status).toBe(403);
    });

    it('checks a comparison record against its item and the side drawn, stores nothing refused, and keeps the side on a renewed lease', async () => {
      const { s } = await start(3, { leaseMs: 60_000 });
      const tokens = await invite(s.url, ['ann']);
      const ann = client(s.url, tokens.get('ann'));
      const first = await ann('GET', '/next');
      expect(first.body.item).toMatchObject({ id: 'c1', kind: 'compare', left: leftImage(SEED_PACK, 'ann', 0) });
      const left = first.body.item.left as 0 | 1;
      const other = left === 0 ? 1 : 0;

      const refused = async (record: object, path: string, message: RegExp) => {
        const res = await ann('POST', '/submissions', { ...record, clientId: uuid() });
        expect(res.status, JSON.stringify(res.body)).toBe(400);
        expect(res.body.error.path ?? '').toBe(path);
        expect(res.body.error.message).toMatch(message);
      };
      await refused(cmpRecord('c1', other, { plausibility: 1 }), 'left', /is not the side this server drew for you on item "c1"/);
      await refused(cmpRecord('c1', left, { plausibility: 3 }), 'answers.plausibility', /from -2 to 2/);
      await refused(cmpRecord('c1', left, { plausibility: 1.5 }), 'answers.plausibility', /integer/);
      await refused(cmpRecord('c1', left, { alignment: 1 }), 'answers.plausibility', /./);
      await refused(cmpRecord('c1', left, { plausibility: 1, alignment: 0 }), 'answers.alignment', /./);
      await refused(recordFor('c1'), '', /comparison item|rating record/);
      // Nothing of those was stored.
      expect((await ann('GET', '/submissions')).body.submissions).toEqual([]);

      // A lease that expired and is taken up again keeps its side.
      clock += 61_000;
      const again = await ann('GET', '/next');
      expect(again.body.item).toMatchObject({ id: 'c1', left });
      const second = await ann('GET', '/next?exclude=c1');
      expect(second.body.item).toMatchObject({ id: 'c2', left: leftImage(SEED_PACK, 'ann', 1) });

      const ok = await ann('POST', '/submissions', { ...cmpRecord('c1', left, { plausibility: -1 }), clientId: uuid() });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      // A revision keeps the side too; a newer one replaces the answers.
      const revised = await ann('POST', '/submissions', { ...cmpRecord('c1', left, { plausibility: 2 }, '2026-12-01T10:05:00.000Z'), clientId: uuid() });
      expect(revised.status).toBe(200);
      const mine = (await ann('GET', '/submissions')).body;
      expect(mine.submissions).toHaveLength(1);
      expect(mine.submissions[0].record).toEqual(cmpRecord('c1', left, { plausibility: 2 }, '2026-12-01T10:05:00.000Z'));
      expect(mine.submissions[0].item).toMatchObject({ id: 'c1', kind: 'compare', left });
      // A comparison record for the rating item, and one for an item never given, are refused.
      await refused(cmpRecord('r1', 0, { plausibility: 0 }), '', /rating item/);
      const notGiven = await ann('POST', '/submissions', { ...cmpRecord('c4', 0, { plausibility: 0 }), clientId: uuid() });
      expect(notGiven.status).toBe(409);

      // A comparison image URL opens that image only: its index is signed.
      const url = new URL(second.body.item.images[0].image, s.url);
      expect((await fetch(url)).status).toBe(200);
      url.searchParams.set('i', '1');
      expect((await fetch(url)).status).toBe(403);
      url.searchParams.set('i', '2');
      expect((await fetch(url)).status).toBe(403);
    });

    it("serves the annotators' pack too (no systems anywhere), but its report needs the lead's pack", async () => {
      const { s, lead } = await start(1, { blind: true });
      const tokens = await invite(s.url, ['ann']);
      const ann = client(s.url, tokens.get('ann'));
      const next = await ann('GET', '/next');
      expect(next.body.item).toMatchObject({ id: 'c1', kind: 'compare' });
      const report = await lead('GET', '/export/comparison');
      expect(report.status).toBe(409);
      expect(report.body.error.message).toMatch(/names no systems/);
    });
  });
}
