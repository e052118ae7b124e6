import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { consolidateFiles } from '../../../src/cli/commands/consolidate.ts';
import { DEFAULT_GRID } from '../../../src/core/dataset/grid.ts';
import { DEFAULT_LIMITS } from '../../../src/core/parquet/parquetDataset.ts';
import { ALL_TRAIN } from '../../../src/core/parquet/split.ts';
import { client, DATABASES, invite, LEAD, recordFor, uuid, writePack, serverPerTest } from './support.ts';

/** GET /api/v1/export/parquet: the files `richhf consolidate --parquet` writes, byte for byte, as a ZIP. */
for (const database of DATABASES) {
  describe.skipIf(database.skip)(`Parquet export on ${database.kind}`, () => {
    const startServerFor = serverPerTest(database);

    it('is a ZIP of the shards and the card that consolidate --parquet writes from the exported files; refuses a missing image and a bad rule', async () => {
      const { file, dir } = writePack(3, { k: 2, withImages: 3 });
      const server = await startServerFor(file);
      const tokens = await invite(server.url, ['alice', 'bob']);
      for (const [who, token] of tokens) {
        const call = client(server.url, token);
        for (let n = 0; n < 3; n++) {
          const next = await call('GET', '/next');
          const r = await call('POST', '/submissions', { ...recordFor(next.body.item.id, { activeMs: who === 'alice' ? 1000 : 2000 }), clientId: uuid() });
          expect(r.status).toBe(200);
        }
      }
      const res = await fetch(`${server.url}/api/v1/export/parquet`, { headers: { Authorization: `Bearer ${LEAD}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toContain('test-parquet.zip');
      const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
      expect(Object.keys(entries)).toEqual(['data/train-00000-of-00001.parquet', 'README.md']);
      const shard = entries['data/train-00000-of-00001.parquet']!;
      const buf = shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength) as ArrayBuffer;
      const rows = await parquetReadObjects({ file: buf, metadata: parquetMetadata(buf), utf8: false });
      expect(rows.map((r) => r.id)).toEqual(['0001', '0002', '0003']);
      rows.forEach((r, i) => expect(Buffer.from((r.image as { bytes: Uint8Array }).bytes).equals(readFileSync(path.join(dir, 'images', `000${i + 1}.png`)))).toBe(true));
      expect((rows[0]!.annotations as { annotator: string; active_ms: bigint }[]).map((a) => [a.annotator, a.active_ms])).toEqual([
        ['annotator-001', 1000n],
        ['annotator-002', 2000n],
      ]);

      // The command line from the annotators' exported files writes the same bytes.
      const out = mkdtempSync(path.join(os.tmpdir(), 'richhf-parquet-cli-'));
      const files = [];
      for (const who of ['alice', 'bob']) {
        const f = path.join(out, `${who}.json`);
        writeFileSync(f, JSON.stringify((await client(server.url, LEAD)('GET', `/export/annotations?annotator=${who}`)).body));
        files.push(f);
      }
      const io = { out: () => undefined, err: (t: string) => void process.stderr.write(t), isTty: false };
      const code = await consolidateFiles(
        {
          pack: file,
          out: path.join(out, 'ds.json'),
          grid: DEFAULT_GRID,
          jobs: 1,
          files,
          parquet: { dir: path.join(out, 'hf'), rule: ALL_TRAIN, shardBytes: DEFAULT_LIMITS.shardBytes, keepAnnotatorIds: false },
        },
        io,
      );
      expect(code).toBe(0);
      expect(Buffer.from(shard).equals(readFileSync(path.join(out, 'hf/data/train-00000-of-00001.parquet')))).toBe(true);
      expect(Buffer.from(entries['README.md']!).toString('utf8')).toBe(readFileSync(path.join(out, 'hf/README.md'), 'utf8'));

      const lead = client(server.url, LEAD);
      expect(await lead('GET', '/export/parquet?split=train=0.5')).toMatchObject({
        status: 400,
        body: { error: { path: 'split', message: 'split: the shares must add up to 1, they add up to 0.5' } },
      });
      const tempsBefore = readdirSync(os.tmpdir()).filter((n) => n.startsWith('richhf-parquet-') && !n.startsWith('richhf-parquet-cli')).length;
      rmSync(path.join(dir, 'images/0002.png'));
      const missing = await lead('GET', '/export/parquet');
      expect(missing.status).toBe(409);
      expect(missing.body.error.message).toBe(`the pack's images cannot be exported: item "0002": image "images/0002.png": no such file`);
      expect(readdirSync(os.tmpdir()).filter((n) => n.startsWith('richhf-parquet-') && !n.startsWith('richhf-parquet-cli')).length).toBe(tempsBefore);
      expect((await client(server.url, tokens.get('alice'))('GET', '/export/parquet')).status).toBe(403);
    });
  });
}
