import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => path.join(root, 'fixtures', 'evaluate', name);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-evaluate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), isTty: false };
  const code = await main(['evaluate', ...args], io);
  return { code, out, err };
}

function writeJson(name: string, value: unknown): string {
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

const predictions = JSON.parse(readFileSync(fixture('predictions.json'), 'utf8')) as { items: Record<string, unknown>[] };
const expected = JSON.parse(readFileSync(fixture('expected.json'), 'utf8')) as Record<string, Record<string, Record<string, number>>>;

describe('richhf evaluate', () => {
  test('prints the table', async () => {
    const r = await cli('--dataset', fixture('dataset.json'), '--predictions', fixture('predictions.json'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    for (const row of ['plausibility', 'alignment', 'aesthetics', 'overall', 'artifact', 'misalignment', 'per-item mean', 'micro (all tokens)']) {
      expect(r.out).toMatch(new RegExp(`^${row.replace(/[()]/g, '\\$&')}\\s`, 'm'));
    }
    expect(r.out).toContain('AUC-Judd');
  });
  test('--json uses the contract keys, with the Python reference numbers', async () => {
    const r = await cli('--dataset', fixture('dataset.json'), '--predictions', fixture('predictions.json'), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(Object.keys(report.heatmaps.artifact).sort()).toEqual(['aucJudd', 'cc', 'kld', 'mse', 'mseEmpty', 'nss', 'sim']);
    expect(Object.keys(report.words).sort()).toEqual(['f1', 'micro', 'precision', 'recall']);
    expect(report.scores.overall.srcc).toBeCloseTo(expected.scores!.overall!.srcc!, 12);
    expect(report.heatmaps.misalignment.aucJudd).toBeCloseTo(expected.heatmaps!.misalignment!.aucJudd!, 12);
    expect(report.counts).toEqual(expected.counts);
  });
  test('--out writes the JSON report (and the table still prints)', async () => {
    const out = path.join(tmp, 'report.json');
    const r = await cli('--dataset', fixture('dataset.json'), '--predictions', fixture('predictions.json'), '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Scores');
    expect(JSON.parse(readFileSync(out, 'utf8')).counts.words).toBe(10);
    expect(readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  test('--jobs 2 (threads, run from the sources) writes the report of --jobs 1 byte for byte; --jobs 0 is a usage error', async () => {
    const args = ['--dataset', fixture('dataset.json'), '--predictions', fixture('predictions.json'), '--json'];
    const one = await cli(...args, '--jobs', '1');
    const two = await cli(...args, '--jobs', '2');
    expect(one.code).toBe(0);
    expect(two).toEqual(one);
    const zero = await cli(...args, '--jobs', '0');
    expect(zero.code).toBe(2);
    expect(zero.err).toContain('--jobs must be an integer from 1 to 64, got "0"');
  });
  test('heatmaps read from the file bytes or the ordinary way give the same report byte for byte (escapes, a key given twice, --jobs 1 and 2)', async () => {
    const args = (file: string, jobs: string) => ['--dataset', fixture('dataset.json'), '--predictions', file, '--json', '--jobs', jobs];
    const plain = await cli(...args(fixture('predictions.json'), '1'));
    expect(plain.code).toBe(0);
    const text = readFileSync(fixture('predictions.json'), 'utf8');
    const mapAt = text.indexOf('"artifactHeatmap": "') + '"artifactHeatmap": "'.length;
    expect(text.indexOf('/', mapAt)).toBeLessThan(text.indexOf('"', mapAt)); // the first map has a '/' to escape
    // JSON's "\/" is "/": the same map, which is not plain base64 in the file.
    const escaped = path.join(tmp, 'escaped.json');
    writeFileSync(escaped, text.slice(0, mapAt) + text.slice(mapAt).replace('/', '\\/'));
    // The first of two values of one key is not used (JSON.parse keeps the last).
    const twice = path.join(tmp, 'twice.json');
    writeFileSync(twice, text.slice(0, mapAt) + 'not base64!", "artifactHeatmap": "' + text.slice(mapAt));
    for (const file of [escaped, twice]) {
      for (const jobs of ['1', '2']) expect(await cli(...args(file, jobs))).toEqual(plain);
    }
    expect(await cli(...args(fixture('predictions.json'), '2'))).toEqual(plain);
  });
  test('a map with a raw control character, even one not used, is invalid JSON, located in the file', async () => {
    const text = readFileSync(fixture('predictions.json'), 'utf8');
    const mapAt = text.indexOf('"artifactHeatmap": "') + '"artifactHeatmap": "'.length;
    const line = text.slice(0, mapAt).split('\n').length;
    for (const [name, bad] of [
      ['tab.json', text.slice(0, mapAt) + 'iVBO\tRw' + text.slice(mapAt + 6)],
      ['unused-tab.json', text.slice(0, mapAt) + 'iVBO\tRw", "artifactHeatmap": "' + text.slice(mapAt)],
      // A prediction not in the dataset is found before any map is read: the tab still wins.
      ['stray-tab.json', text.slice(0, mapAt) + 'iVBO\tRw' + text.slice(mapAt + 6).replace('"id": "g01"', '"id": "zz"')],
    ] as const) {
      const file = path.join(tmp, name);
      writeFileSync(file, bad);
      const r = await cli('--dataset', fixture('dataset.json'), '--predictions', file, '--json');
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: invalid JSON: line ${line}, column \\d+: .+\\n$`));
    }
  });
  test('usage errors exit 2; --help exits 0', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli('--dataset', fixture('dataset.json'))).code).toBe(2);
    const unknown = await cli('--dataset', 'a', '--predictions', 'b', '--frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/frobnicate/);
    expect((await cli('extra-positional')).code).toBe(2);
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: richhf evaluate --dataset DATASET\.json --predictions PRED\.json/);
  });
  test('unknown format: a dataset passed as predictions', async () => {
    const r = await cli('--dataset', fixture('dataset.json'), '--predictions', fixture('dataset.json'));
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${fixture('dataset.json')}: format: unknown format "richhf-dataset" (expected "richhf-predictions")\n`);
    const swapped = await cli('--dataset', fixture('predictions.json'), '--predictions', fixture('predictions.json'));
    expect(swapped.code).toBe(1);
    expect(swapped.err).toContain(`${fixture('predictions.json')}: format: unknown format "richhf-predictions" (expected "richhf-dataset")`);
  });
  test('a broken PNG is located: file: items[3].artifactHeatmap: not a valid PNG (...)', async () => {
    const items = predictions.items.map((it, i) => (i === 3 ? { ...it, artifactHeatmap: 'iVBORw0KGgoAAAANSUhEUgAAAEAAAABA' } : it));
    const file = writeJson('broken.json', { ...predictions, items });
    const r = await cli('--dataset', fixture('dataset.json'), '--predictions', file);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}: items\\[3\\]\\.artifactHeatmap: not a valid PNG \\(.+\\)\\n$`));
  });
  test('ids not in the dataset, bad JSON, missing files, schema errors: exit 1, located', async () => {
    const stray = writeJson('stray.json', { format: 'richhf-predictions', version: 1, items: [{ id: 'g01' }, { id: 'zz' }] });
    const r = await cli('--dataset', fixture('dataset.json'), '--predictions', stray);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`${stray}: items[1].id: "zz" is not in the dataset\n`);

    const broken = path.join(tmp, 'bad.json');
    writeFileSync(broken, '{"format": ');
    const bad = await cli('--dataset', fixture('dataset.json'), '--predictions', broken);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(new RegExp(`^${broken.replace(/[.]/g, '\\.')}: invalid JSON`));

    const missing = await cli('--dataset', path.join(tmp, 'nope.json'), '--predictions', stray);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(`${path.join(tmp, 'nope.json')}: cannot read: no such file\n`);

    const scores = writeJson('scores.json', { format: 'richhf-predictions', version: 1, items: [{ id: 'g01', scores: { overall: 2 } }] });
    const s = await cli('--dataset', fixture('dataset.json'), '--predictions', scores);
    expect(s.code).toBe(1);
    expect(s.err).toBe(`${scores}: items[0].scores.overall: must be from 0 to 1\n`);
    expect(existsSync(path.join(tmp, 'report.json'))).toBe(true); // untouched by failed runs
  });
  test('a dataset written by richhf consolidate, predicted by itself, scores perfectly', async () => {
    const consolidated = path.join(root, 'fixtures', 'consolidate', 'expected.json');
    const d = JSON.parse(readFileSync(consolidated, 'utf8')) as { items: { id: string; normalizedScores: object; artifactHeatmap: string; misalignmentHeatmap: string }[] };
    const self = writeJson('self.json', {
      format: 'richhf-predictions',
      version: 1,
      model: 'oracle',
      items: d.items.map((it) => ({ id: it.id, scores: it.normalizedScores, artifactHeatmap: it.artifactHeatmap, misalignmentHeatmap: it.misalignmentHeatmap })),
    });
    const r = await cli('--dataset', consolidated, '--predictions', self, '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.counts.heatmaps.artifact.mse).toBe(d.items.length);
    expect(report.heatmaps.artifact.mse).toBe(0);
    expect(report.heatmaps.misalignment.mse).toBe(0);
    if (report.counts.heatmaps.artifact.aucJudd > 0) expect(report.heatmaps.artifact.aucJudd).toBe(1);
  });
  test('the real binary runs end to end', () => {
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bin', 'richhf.mjs'), 'evaluate', '--dataset', fixture('dataset.json'), '--predictions', fixture('predictions.json'), '--json'],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).counts.evaluatedItems).toBe(11);
  });
});
