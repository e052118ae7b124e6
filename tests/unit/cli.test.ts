import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../src/core/encode/png.ts';
import { readRecords } from '../../src/core/encode/tfrecord.ts';

/** These tests run the real `richhf` binary (bin/richhf.mjs, compiled by the global set-up), as a user would. */
const root = path.resolve(import.meta.dirname, '../..');
const fx = (name: string) => path.join(root, 'fixtures/consolidate', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-cli-'));
afterAll(() => {
  // Leave the temp dir to the OS; it only holds small files.
});

function richhf(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/richhf.mjs'), ...args], { cwd: tmp, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const annotators = [fx('alice.json'), fx('bob.json'), fx('carol.json')];
const writeJson = (name: string, value: unknown) => {
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};
const alice = () => JSON.parse(readFileSync(fx('alice.json'), 'utf8'));

describe('richhf consolidate', () => {
  it('writes the golden dataset for pack + alice, bob, carol, and says what it did', () => {
    const out = path.join(tmp, 'golden.json');
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', out, ...annotators);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`wrote 6 items to ${out}; 2 skipped, 1 warning\n`);
    expect(r.err).toBe('warning: item "0003": annotator "bob" has 2 records; kept the latest (submitted 2026-11-26T10:25:00.000Z)\n');
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(fx('expected.json'), 'utf8'));
  });

  it('worker threads and any file order give the same bytes, JSON and TFRecord', () => {
    const a = richhf('consolidate', '--jobs', '1', '--pack', fx('pack.json'), '--out', 'a.json', '--tfrecord', 'a.tfrecord', ...annotators);
    const b = richhf('consolidate', '--jobs', '2', '--pack', fx('pack.json'), '--out', 'b.json', '--tfrecord', 'b.tfrecord', ...[...annotators].reverse());
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(readFileSync(path.join(tmp, 'b.json'), 'utf8')).toBe(readFileSync(fx('expected.json'), 'utf8'));
    const tfA = readFileSync(path.join(tmp, 'a.tfrecord'));
    expect(readFileSync(path.join(tmp, 'b.tfrecord')).equals(tfA)).toBe(true);
    const records = readRecords(new Uint8Array(tfA));
    expect(records).toHaveLength(6);
    expect(Buffer.from(records[0]!).includes('images/0001.png')).toBe(true);
    expect(Buffer.from(records[0]!).includes('0 0 1 1 1 1 1')).toBe(true);
  });

  it('--heatmap-size WxH and --min-annotators', () => {
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', 'small.json', '--heatmap-size', '64x32', '--min-annotators', '2', ...annotators);
    expect(r.code).toBe(0);
    const ds = JSON.parse(readFileSync(path.join(tmp, 'small.json'), 'utf8'));
    expect([ds.heatmapWidth, ds.heatmapHeight]).toEqual([64, 32]);
    expect(ds.items.map((i: { id: string }) => i.id)).toEqual(['0001', '0002', '0003', '0004', '0005', '0006', '0007']);
    expect(ds.skipped).toEqual([{ id: '0008', reason: '1 of 2 annotators' }]);
    expect(ds.items[6].promptMisalignmentLabel).toBe('1 1 1 1 1 0 1 1 1 1 1'); // "green": 2 of 2 votes
  });

  it('bad input: exit 1, every problem named by file and field, an existing output untouched, no temp file left', () => {
    const bad = alice();
    bad.annotations[2].scores.overall = 7;
    bad.annotations[3].points[0].x = 600;
    const badFile = writeJson('bad-alice.json', bad);
    const dir = path.join(tmp, 'keep');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'out.json'), 'previous');
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', path.join(dir, 'out.json'), badFile, fx('bob.json'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${badFile}: annotations[2].scores.overall: must be from 1 to 5\n`);
    expect(r.err).toContain(`${badFile}: annotations[3].points[0].x: outside the image (0 to 512)\n`);
    expect(r.err).toContain('nothing written');
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('previous');
    expect(readdirSync(dir)).toEqual(['out.json']);
    // With worker threads the files are checked there: the same report.
    const threaded = richhf('consolidate', '--jobs', '2', '--pack', fx('pack.json'), '--out', path.join(dir, 'out.json'), badFile, fx('bob.json'));
    expect([threaded.code, threaded.err]).toEqual([r.code, r.err]);
  });

  it('cross-file checks: wrong pack name, token index out of range, image size differing from the pack', () => {
    const other = { ...alice(), pack: 'other' };
    const tokens = alice();
    tokens.annotations[0].misalignedTokens = [0, 7];
    tokens.annotations[5].imageHeight = 512;
    writeFileSync(path.join(tmp, 'broken.json'), '{"format": "richhf-annotations",');
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', 'x.json', writeJson('other.json', other), writeJson('tokens.json', tokens), 'missing.json', 'broken.json');
    expect(r.code).toBe(1);
    expect(r.err).toContain('missing.json: cannot read: no such file\n');
    expect(r.err).toMatch(/^broken\.json: invalid JSON: /m);
    expect(existsSync(path.join(tmp, 'x.json'))).toBe(false);
    const r2 = richhf('consolidate', '--pack', fx('pack.json'), '--out', 'x.json', path.join(tmp, 'other.json'), path.join(tmp, 'tokens.json'));
    expect(r2.code).toBe(1);
    expect(r2.err).toContain(`${path.join(tmp, 'other.json')}: pack: "other" is not this pack's name "demo"`);
    expect(r2.err).toContain(`${path.join(tmp, 'tokens.json')}: annotations[0].misalignedTokens[1]: token index 7 is out of range (item "0001" has 7 tokens)`);
    expect(r2.err).toContain(`${path.join(tmp, 'tokens.json')}: annotations[5].imageHeight: 512 differs from the pack's height 768 for item "0006"`);
    expect(existsSync(path.join(tmp, 'x.json'))).toBe(false);
  });

  it('a write failure (TFRecord into a missing folder) leaves neither output nor temp files', () => {
    const dir = path.join(tmp, 'wf');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'out.json'), 'previous');
    const r = richhf('consolidate', '--pack', fx('pack.json'), '--out', path.join(dir, 'out.json'), '--tfrecord', path.join(dir, 'nope/out.tfrecord'), ...annotators);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot write: no such directory');
    expect(readdirSync(dir)).toEqual(['out.json']);
    expect(readFileSync(path.join(dir, 'out.json'), 'utf8')).toBe('previous');
  });

  it('usage errors exit 2 with the help; --help exits 0', () => {
    for (const args of [
      ['--out', 'x.json', fx('alice.json')],
      ['--pack', fx('pack.json'), fx('alice.json')],
      ['--pack', fx('pack.json'), '--out', 'x.json'],
      ['--pack', fx('pack.json'), '--out', 'x.json', '--heatmap-size', '0', fx('alice.json')],
      ['--pack', fx('pack.json'), '--out', 'x.json', '--min-annotators', 'two', fx('alice.json')],
      ['--pack', fx('pack.json'), '--out', 'x.json', '--frobnicate', fx('alice.json')],
    ]) {
      const r = richhf('consolidate', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('usage: richhf consolidate');
    }
    const big = richhf('consolidate', '--pack', fx('pack.json'), '--out', 'x.json', '--heatmap-size', '5000', fx('alice.json'));
    expect(big.err).toContain('--heatmap-size must be N or WxH with sizes from 1 to 4096, got "5000"');
    const help = richhf('consolidate', '--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('--heatmap-size');
  });
});

describe('richhf validate', () => {
  it('accepts the fixtures (pack, annotations, dataset) and cross-checks annotations against the pack', () => {
    const r = richhf('validate', fx('pack.json'), ...annotators, fx('expected.json'));
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${fx('expected.json')}: ok (dataset of pack "demo", 6 items, 2 skipped)`);
  });

  it('reports every problem as file: field: message and exits 1', () => {
    const ds = JSON.parse(readFileSync(fx('expected.json'), 'utf8'));
    ds.items[1].promptMisalignmentLabel = '1 1 1 1 1 1 1 1';
    ds.items[2].tokenVotes[0] = 9;
    const tokens = alice();
    tokens.annotations[1].misalignedTokens = [12];
    const r = richhf('validate', fx('pack.json'), writeJson('ds.json', ds), writeJson('tok.json', tokens), writeJson('what.json', { format: 'nope' }));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${path.join(tmp, 'ds.json')}: items[1].promptMisalignmentLabel: must be "1 0 1 1 1 1 0 1" for these token votes`);
    expect(r.err).toContain(`${path.join(tmp, 'ds.json')}: items[2].tokenVotes[0]: 9 votes from 3 annotators`);
    expect(r.err).toContain(`${path.join(tmp, 'tok.json')}: annotations[1].misalignedTokens[0]: token index 12 is out of range`);
    expect(r.err).toContain(`${path.join(tmp, 'what.json')}: format: unknown format "nope"`);
  });

  it('no files is a usage error', () => {
    expect(richhf('validate').code).toBe(2);
  });
});

describe('richhf pack', () => {
  it('builds a pack from a CSV and a folder of images, reading their sizes', () => {
    const dir = path.join(tmp, 'packsrc');
    mkdirSync(path.join(dir, 'images'), { recursive: true });
    writeFileSync(path.join(dir, 'images/a.png'), encodeGrayPng(40, 20, new Uint8Array(800)));
    writeFileSync(path.join(dir, 'images/b.png'), encodeGrayPng(16, 32, new Uint8Array(512)));
    writeFileSync(path.join(dir, 'prompts.csv'), 'id,image,prompt\n0001,a.png,"a cat, sleeping"\n0002,b.png,"two ""red"" balls"\n');
    const r = richhf('pack', '--images', path.join(dir, 'images'), '--prompts', path.join(dir, 'prompts.csv'), '--out', path.join(dir, 'demo.json'), '--annotators-per-item', '2');
    expect(r.code).toBe(0);
    const pack = JSON.parse(readFileSync(path.join(dir, 'demo.json'), 'utf8'));
    expect(pack).toEqual({
      format: 'richhf-taskpack',
      version: 1,
      name: 'demo',
      annotatorsPerItem: 2,
      items: [
        { id: '0001', image: 'images/a.png', prompt: 'a cat, sleeping', width: 40, height: 20 },
        { id: '0002', image: 'images/b.png', prompt: 'two "red" balls', width: 16, height: 32 },
      ],
    });
    writeFileSync(path.join(dir, 'bad.jsonl'), '{"id":"1","image":"a.png","prompt":"p"}\n{"id":"1","image":"zz.png","prompt":"q"}\n');
    const bad = richhf('pack', '--images', path.join(dir, 'images'), '--prompts', path.join(dir, 'bad.jsonl'), '--out', path.join(dir, 'bad.json'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`${path.join(dir, 'bad.jsonl')}: line 2.id: duplicate id "1" (first used at line 1)`);
    expect(bad.err).toContain(`${path.join(dir, 'bad.jsonl')}: line 2.image: no such file`);
    expect(existsSync(path.join(dir, 'bad.json'))).toBe(false);
    expect(richhf('pack', '--images', dir).code).toBe(2);
  });
});

describe('richhf stats', () => {
  it('prints the agreement summary as text and as JSON', () => {
    const text = richhf('stats', fx('expected.json'));
    expect(text.code).toBe(0);
    expect(text.out).toContain('6 items (2 skipped)');
    expect(text.out).toMatch(/aesthetics\s+2\s+3\s+1\s+0\s+0\s+33\.3%\s+83\.3%/);
    const json = richhf('stats', '--json', fx('expected.json'));
    const s = JSON.parse(json.out);
    expect(s.scores.plausibility.histogram).toEqual([0, 5, 1, 0, 0]);
    expect(s.tokens).toMatchObject({ total: 51, misaligned: 6 });
    expect(s.heatmaps.artifact.nonEmptyItems).toBe(5);
    expect(richhf('stats', fx('alice.json')).code).toBe(1);
    expect(richhf('stats').code).toBe(2);
  });
});

describe('npx richhf', () => {
  // npx starts npm first (1.3 s alone here; 37 s once at load 12 on 2 cores): a time-out of its own, far from that.
  it('runs from the repository root through the package bin entry', { timeout: 120_000 }, () => {
    const r = spawnSync('npx', ['--no-install', 'richhf', '--help'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('consolidate');
  });
});
