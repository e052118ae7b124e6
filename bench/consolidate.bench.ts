/**
 * `richhf consolidate` against the naive numpy reference (bench/consolidate_numpy.py, Debian's
 * python3-numpy and python3-pil), in one run on the same generated input: 3 annotators per
 * item, 0-6 points of each kind each, 512x512 images and heatmaps. Every time is the wall
 * time of a whole process, start-up included (`node bin/richhf.mjs ...`, `python3 ...`), as a
 * user would see it. The targets: 2,000 items at >= 25x the numpy reference, and
 * 17,760 items (RichHF-18K's size) with JSON + TFRecord in <= 5 s on 2 cores.
 * Inputs are generated here (seeded) in a temp dir. `--generate N DIR` only writes them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base64ToBytes } from '../src/core/encode/base64.ts';
import { decodeHeatmapPng } from '../src/core/encode/pngDecode.ts';
import { generate } from './consolidateInput.ts';
import { median } from './browser.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(ROOT, 'bin/richhf.mjs');
const NUMPY = path.join(ROOT, 'bench/consolidate_numpy.py');
/** Debian's python3 has python3-numpy and python3-pil; a python3 earlier in PATH may not. */
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

if (process.argv[2] === '--generate') {
  console.log(generate(Number(process.argv[3]), process.argv[4]!));
  process.exit(0);
}

interface Run {
  readonly ms: number;
  readonly maxRssKb: number | undefined;
  readonly load: number;
}

/** One process, spawn to exit; peak RSS from /usr/bin/time when there is one. */
function timed(command: string, args: string[]): Run {
  const load = os.loadavg()[0]!;
  const argv = TIME ? [TIME, '-f', 'maxrss=%M', command, ...args] : [command, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /maxrss=(\d+)/.exec(r.stderr ?? '');
  return { ms, maxRssKb: rss ? Number(rss[1]) : undefined, load };
}

/** Every heatmap of the numpy output equals ours pixel for pixel (and scores and word labels). */
function agreement(numpyOut: string, ours: string): string {
  const a = JSON.parse(readFileSync(numpyOut, 'utf8')) as { items: Record<string, unknown>[] };
  const b = JSON.parse(readFileSync(ours, 'utf8')) as { items: Record<string, unknown>[] };
  let maps = 0;
  let differ = 0;
  a.items.forEach((item, i) => {
    const other = b.items[i]!;
    for (const key of ['artifactHeatmap', 'misalignmentHeatmap']) {
      maps++;
      const x = decodeHeatmapPng(base64ToBytes(item[key] as string)).gray;
      const y = decodeHeatmapPng(base64ToBytes(other[key] as string)).gray;
      if (!Buffer.from(x).equals(Buffer.from(y))) differ++;
    }
    if (JSON.stringify(item.scores) !== JSON.stringify(other.scores) || item.promptMisalignmentLabel !== other.promptMisalignmentLabel) differ++;
  });
  return differ === 0 && a.items.length === b.items.length
    ? `numpy and richhf agree on every pixel of all ${maps.toLocaleString('en-US')} maps, and on scores and word labels`
    : `MISMATCH: ${differ} of ${maps} maps or items differ`;
}

/** The threads `richhf consolidate` picks by itself (its MIN_BYTES_FOR_WORKERS rule: 20 MB of annotation files). */
function threadsFor(files: readonly string[]): string {
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  return bytes >= 20 * 2 ** 20 ? `${os.availableParallelism()} threads` : '1 thread';
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mb = (kb: number | undefined) => (kb === undefined ? '–' : `${(kb / 1024).toFixed(0)} MB`);
const cpus = os.availableParallelism();
const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-bench-'));
try {
  const rows: string[] = [];
  const row = (what: string, n: number, r: Run, note = '') =>
    rows.push(`| ${what} | ${n.toLocaleString('en-US')} | ${s(r.ms)} | ${((r.ms / n) * 1000).toFixed(0)} µs | ${mb(r.maxRssKb)} | ${r.load.toFixed(1)} | ${note} |`);

  // Start-up: the command line's --help, 5 runs, median.
  const help = Array.from({ length: 5 }, () => timed(process.execPath, [BIN, '--help']).ms);
  const startup = `\`richhf --help\` (node bin/richhf.mjs): median ${median(help).toFixed(0)} ms of 5 runs.`;

  // 2,000 items: numpy once, richhf three times (median) with the default threads, once with one.
  const small = generate(2000, path.join(dir, '2000'));
  const npOut = path.join(dir, '2000', 'numpy.json');
  const np = timed(PYTHON, [NUMPY, small.pack, npOut, ...small.files]);
  row('numpy reference (JSON)', 2000, np);
  const out = path.join(dir, '2000', 'dataset.json');
  const tf = path.join(dir, '2000', 'dataset.tfrecord');
  const cli = (jobs?: number) =>
    timed(process.execPath, [BIN, 'consolidate', '--pack', small.pack, '--out', out, '--tfrecord', tf, ...(jobs ? ['--jobs', String(jobs)] : []), ...small.files]);
  const runs = [cli(), cli(), cli()];
  const mid = [...runs].sort((x, y) => x.ms - y.ms)[1]!;
  row(`richhf consolidate (JSON + TFRecord), default: ${threadsFor(small.files)}`, 2000, mid, `median of 3: ${runs.map((r) => s(r.ms)).join(', ')}`);
  row(`richhf consolidate (JSON + TFRecord), --jobs ${cpus}`, 2000, cli(cpus));
  const ratio = np.ms / mid.ms;
  const check = agreement(npOut, out);

  // 17,760 items (RichHF-18K): three runs with the default threads (median), one with one thread.
  const big = generate(17760, path.join(dir, '17760'));
  const bigOut = path.join(dir, '17760', 'dataset.json');
  const bigTf = path.join(dir, '17760', 'dataset.tfrecord');
  const bigCli = (jobs?: number) =>
    timed(process.execPath, [BIN, 'consolidate', '--pack', big.pack, '--out', bigOut, '--tfrecord', bigTf, ...(jobs ? ['--jobs', String(jobs)] : []), ...big.files]);
  const bigRuns = [bigCli(), bigCli(), bigCli()];
  const bigMid = [...bigRuns].sort((x, y) => x.ms - y.ms)[1]!;
  row(`richhf consolidate (JSON + TFRecord), default: ${threadsFor(big.files)}`, 17760, bigMid, `median of 3: ${bigRuns.map((r) => s(r.ms)).join(', ')}`);
  row('richhf consolidate (JSON + TFRecord), --jobs 1', 17760, bigCli(1));
  const sizes = `${(statSync(bigOut).size / 2 ** 20).toFixed(1)} MB JSON + ${(statSync(bigTf).size / 2 ** 20).toFixed(1)} MB TFRecord`;

  console.log(
    'Whole processes, start-up included (`node bin/richhf.mjs`, `python3 bench/consolidate_numpy.py`); 3 annotators per item, 0-6 points of each kind each, 512x512 heatmaps. "load" is the 1-minute load average before the run: the machine may be shared.\n',
  );
  console.log('| run | items | wall time | per item | peak RSS | load | |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log('');
  console.log(`- **2,000 items: richhf is ${ratio.toFixed(1)}x the numpy reference** (${s(np.ms)} / ${s(mid.ms)}; target >= 25x). ${check}.`);
  console.log(`- **17,760 items, JSON + TFRecord, ${threadsFor(big.files)}: ${s(bigMid.ms)}** (target <= 5 s); output ${sizes}.`);
  console.log(`- ${startup} \`npx richhf\` adds npm's own start-up on top.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
