import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAnnotator, type Ack } from '../../../scripts/annotatorLoad.ts';
import { client, DATABASES, invite, LEAD, startTestServer, writePack, type TestServer } from './support.ts';

/**
 * The load: 30 simulated annotators (plain HTTP clients) label a 300-item pack with
 * K = 3 at once. Then every item has exactly 3 distinct annotators, every acknowledged
 * submission is in the export, and the served dataset is byte for byte what `richhf
 * consolidate` writes from the served annotation files. On PostgreSQL two servers share the
 * database (as behind a load balancer), each annotator talking to one of them.
 */
const root = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);
const ITEMS = 300;
const ANNOTATORS = 30;
const K = 3;

for (const database of DATABASES) {
  describe.skipIf(database.skip)(`30 annotators, 300 items, K = 3 on ${database.kind}`, () => {
    let s: TestServer;
    let other: TestServer | undefined;
    let drop: () => Promise<void>;
    let packFile: string;
    const acks: Ack[] = [];
    const names = Array.from({ length: ANNOTATORS }, (_, i) => `annotator-${String(i).padStart(2, '0')}`);

    beforeAll(async () => {
      packFile = writePack(ITEMS, { k: K }).file;
      const created = await database.create();
      drop = created.drop;
      s = await startTestServer({ packFile, db: created.url });
      if (database.kind === 'postgres') other = await startTestServer({ packFile, db: created.url });
      const tokens = await invite(s.url, names);
      const urls = other ? [s.url, other.url] : [s.url];
      const results = await Promise.all(
        names.map((annotator, i) => runAnnotator({ baseUrl: urls[i % urls.length]!, annotator, token: tokens.get(annotator)!, seed: i + 1, acks })),
      );
      for (const r of results) expect(r.end, String(r.error)).toBe('done');
    }, 120_000);
    afterAll(async () => {
      await other?.close();
      await s.close();
      await drop();
    });

    it('every item ends with exactly K distinct annotators; nobody twice on an item', async () => {
      expect(acks.length).toBe(ITEMS * K);
      const perItem = new Map<string, string[]>();
      for (const a of acks) perItem.set(a.itemId, [...(perItem.get(a.itemId) ?? []), a.annotator]);
      expect(perItem.size).toBe(ITEMS);
      for (const who of perItem.values()) {
        expect(who.length).toBe(K);
        expect(new Set(who).size).toBe(K);
      }
      const progress = await client(s.url, LEAD)('GET', '/progress');
      expect(progress.body).toMatchObject({ items: ITEMS, completeItems: ITEMS, submissions: ITEMS * K });
    });

    it('every acknowledged submission is in the exported annotation files, as sent; the dataset equals richhf consolidate on those files', async () => {
      const lead = client(s.url, LEAD);
      const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-export-'));
      const files: string[] = [];
      const exported = new Map<string, unknown>();
      for (const name of names) {
        const res = await fetch(`${s.url}/api/v1/export/annotations?annotator=${name}`, { headers: { Authorization: `Bearer ${LEAD}` } });
        const text = await res.text();
        const file = path.join(dir, `${name}.json`);
        writeFileSync(file, text);
        files.push(file);
        for (const r of JSON.parse(text).annotations) exported.set(`${name}/${r.itemId}`, r);
      }
      expect(exported.size).toBe(acks.length);
      for (const a of acks) expect(exported.get(`${a.annotator}/${a.itemId}`)).toEqual(a.record);

      const served = await fetch(`${s.url}/api/v1/export/dataset`, { headers: { Authorization: `Bearer ${LEAD}` } });
      expect(served.status).toBe(200);
      const servedBytes = Buffer.from(await served.arrayBuffer());
      const out = path.join(dir, 'dataset.json');
      // Not spawnSync: the server runs in this process and must go on answering meanwhile.
      await run(process.execPath, [path.join(root, 'bin/richhf.mjs'), 'consolidate', '--pack', packFile, '--out', out, ...files]);
      expect(servedBytes.equals(readFileSync(out))).toBe(true);
      const dataset = JSON.parse(servedBytes.toString('utf8'));
      expect(dataset.items.length).toBe(ITEMS);
      expect(dataset.skipped).toEqual([]);
      expect((await lead('GET', '/progress')).status).toBe(200);
    }, 120_000);
  });
}
