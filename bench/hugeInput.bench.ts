/**
 * Bounded memory on huge inputs (issue 11): `richhf validate` on a ~200 MB annotations file,
 * valid, with one error in its last record, and with every point invalid (the case that used to
 * crash after 45 s at 2.9 GB). Peak memory is the process's maxRSS (worker threads included),
 * reported as a multiple of the file size; beside it, in the same script, the reference: what a
 * plain `JSON.parse(readFileSync(file, 'utf8'))` of the same file costs. Files are written to
 * bench/out/ (compact JSON, the most objects per byte) and kept for reruns.
 * `HUGE_MB=50 npm run bench -- hugeInput` for a quicker run. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'bench/out');
const targetBytes = Number(process.env.HUGE_MB ?? 200) * 2 ** 20;
mkdirSync(out, { recursive: true });

/** Writes an annotations file of about targetBytes; `badPoint(record, i)` says which points lie outside the image. */
function writeFile(name: string, badPoint: (record: number, i: number, last: boolean) => boolean): string {
  const file = path.join(out, name);
  if (existsSync(file) && Math.abs(statSync(file).size - targetBytes) < targetBytes * 0.05) return file;
  const fd = openSync(file, 'w');
  writeSync(fd, '{"format":"richhf-annotations","version":1,"annotator":"bench","pack":"bench","annotations":[');
  // One record is about 560 bytes: 8 points, 2 token indices, 4 scores.
  const records = Math.round(targetBytes / 560);
  let chunk = '';
  for (let r = 0; r < records; r++) {
    const last = r === records - 1;
    const points = Array.from({ length: 8 }, (_, i) => ({
      kind: i % 2 ? 'misalignment' : 'artifact',
      x: badPoint(r, i, last) ? -1 : 10 + ((r * 37 + i * 61) % 490) + 0.25,
      y: 20 + ((r * 11 + i * 29) % 480) + 0.5,
    }));
    const rec = {
      itemId: String(r + 1).padStart(7, '0'),
      imageWidth: 512,
      imageHeight: 512,
      points,
      misalignedTokens: [r % 5, 5 + (r % 3)],
      scores: { plausibility: 1 + (r % 5), alignment: 1 + ((r >> 1) % 5), aesthetics: 1 + ((r >> 2) % 5), overall: 1 + ((r >> 3) % 5) },
      submittedAt: '2026-11-26T10:00:00.000Z',
      activeMs: 41_250 + r,
    };
    chunk += (r ? ',' : '') + JSON.stringify(rec);
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, `${chunk}]}`);
  closeSync(fd);
  return file;
}

/** Runs node with a preload that prints the process's peak RSS (KiB) at exit. */
function measure(args: string[]): { ms: number; maxRssMiB: number; code: number | null; firstErr: string; lines: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', path.join(root, 'bench/maxRss.mjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  const rss = /maxrss (\d+)/.exec(r.stderr);
  const errLines = r.stderr.split('\n').filter((l) => l && !l.startsWith('maxrss '));
  return { ms, maxRssMiB: rss ? Number(rss[1]) / 1024 : NaN, code: r.status, firstErr: errLines[0] ?? '', lines: errLines.length };
}

/** A pack with an item for every record of the files above (so validate can check them against it). */
function writePack(records: number): string {
  const file = path.join(out, 'huge-pack.json');
  const fd = openSync(file, 'w');
  writeSync(fd, '{"format":"richhf-taskpack","version":1,"name":"bench","annotatorsPerItem":1,"items":[');
  let chunk = '';
  for (let r = 0; r < records; r++) {
    chunk += `${r ? ',' : ''}{"id":"${String(r + 1).padStart(7, '0')}","image":"images/${r % 100}.png","prompt":"a red cat sits on a blue mat by the door","width":512,"height":512}`;
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, `${chunk}]}`);
  closeSync(fd);
  return file;
}

const cases = [
  { label: 'valid', file: writeFile('huge-valid.json', () => false) },
  { label: 'one error, in the last record', file: writeFile('huge-last-bad.json', (_r, i, last) => last && i === 7) },
  { label: 'every point invalid', file: writeFile('huge-all-bad.json', () => true) },
];

console.log(`1-minute load average before: ${os.loadavg()[0]!.toFixed(1)} (the machine may be shared; times move with it, peak memory much less)\n`);
console.log('| file | size | command | exit | wall time | peak RSS | RSS / size | stderr |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const c of cases) {
  const mib = statSync(c.file).size / 2 ** 20;
  const rows: [string, string[]][] = [
    ['richhf validate', [path.join(root, 'bin/richhf.mjs'), 'validate', c.file]],
    ['reference: JSON.parse(readFileSync)', ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(c.file)}, 'utf8'))`]],
  ];
  if (c.label === 'valid') {
    // With its pack, validate checks every record against it, so it keeps them all (as consolidate does).
    const pack = writePack(Math.round(targetBytes / 560));
    rows.splice(1, 0, [`richhf validate with its pack (${(statSync(pack).size / 2 ** 20).toFixed(0)} MiB)`, [path.join(root, 'bin/richhf.mjs'), 'validate', pack, c.file]]);
  }
  for (const [what, args] of rows) {
    const m = measure(args);
    const shown = m.firstErr.replace(c.file, path.basename(c.file)).replaceAll('|', '\\|').slice(0, 90);
    console.log(
      `| ${c.label} | ${mib.toFixed(0)} MiB | ${what} | ${m.code} | ${(m.ms / 1000).toFixed(1)} s | ${m.maxRssMiB.toFixed(0)} MiB | ${(m.maxRssMiB / mib).toFixed(2)}× | ${m.lines ? `${m.lines} lines: \`${shown}\`` : ''} |`,
    );
  }
}
