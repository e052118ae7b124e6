/**
 * `richhf evaluate` against the numpy/scipy reference (bench/evaluate_numpy.py, Debian's
 * python3-numpy, python3-scipy and python3-pil), in one run on the same generated files
 * (bench/evaluateData.ts): 400 items with noisy predicted maps, as a model writes them (the
 * issue's target: at least 10x the reference), and the earlier 1,000 items with smooth ones.
 * Every time is the wall time of a whole process, start-up and reading the files included
 * (`node bin/richhf.mjs evaluate ...`, `python3 bench/evaluate_numpy.py ...`), as a user
 * would see it; CPU is user + system time of all its threads. Both reports are then compared
 * number by number. `EVAL_RUNS=1` runs richhf once instead of three times; `EVAL_SETS=noisy`
 * runs the noisy set only, and `EVAL_ITEMS=N` scales both sets to N items (a quicker look while
 * iterating; the README's table is of the full run).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { decodeBase64GrayPng } from '../src/core/encode/pngDecode.ts';
import { jitterField } from '../src/core/metrics/jitter.ts';
import { createWorkspace, heatmapMetrics8 } from '../src/core/metrics/saliency.ts';
import { generateEvalInputs, type EvalInputs } from './evaluateData.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(ROOT, 'bin/richhf.mjs');
const NUMPY = path.join(ROOT, 'bench/evaluate_numpy.py');
/** Debian's python3 has python3-numpy, python3-scipy and python3-pil; a python3 earlier in PATH may not. */
const PYTHON = process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const RUNS = Number(process.env.EVAL_RUNS ?? 3);
const SETS = process.env.EVAL_SETS ?? 'noisy,smooth';
const ITEMS = process.env.EVAL_ITEMS === undefined ? undefined : Number(process.env.EVAL_ITEMS);
/** Relative agreement asked of every figure (absolute below 1e-12): the golden test's bound. */
const TOLERANCE = 1e-9;

interface Run {
  readonly ms: number;
  readonly cpuMs: number | undefined;
  readonly maxRssKb: number | undefined;
  readonly load: number;
}

/** One process, spawn to exit, its standard output to `out`; CPU and peak RSS from /usr/bin/time. */
function timed(command: string, args: string[], out: string): Run {
  const load = os.loadavg()[0]!;
  const argv = TIME ? [TIME, '-f', 'cpu=%U+%S maxrss=%M', command, ...args] : [command, ...args];
  const fd = openSync(out, 'w');
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  closeSync(fd);
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  const rss = /maxrss=(\d+)/.exec(r.stderr ?? '');
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined, maxRssKb: rss ? Number(rss[1]) : undefined, load };
}

/**
 * Every number of the numpy report against richhf's: counts and ids exactly, figures to
 * TOLERANCE relative. Returns the largest relative difference and the numbers compared.
 */
function agreement(numpyFile: string, richhfFile: string): { worst: number; numbers: number; mismatches: string[] } {
  const want = JSON.parse(readFileSync(numpyFile, 'utf8')) as unknown;
  const got = JSON.parse(readFileSync(richhfFile, 'utf8')) as unknown;
  let worst = 0;
  let numbers = 0;
  const mismatches: string[] = [];
  const walk = (w: unknown, g: unknown, at: string) => {
    if (typeof w === 'number') {
      numbers++;
      const rel = typeof g === 'number' ? Math.abs(g - w) / Math.max(Math.abs(w), 1e-12) : Infinity;
      worst = Math.max(worst, rel);
      if (!(rel <= (at.includes('.counts.') ? 0 : TOLERANCE))) mismatches.push(`${at}: numpy ${w}, richhf ${String(g)}`);
    } else if (w !== null && typeof w === 'object' && !Array.isArray(w)) {
      for (const [k, v] of Object.entries(w)) walk(v, (g as Record<string, unknown> | undefined)?.[k], `${at}.${k}`);
    } else if (JSON.stringify(w) !== JSON.stringify(g)) mismatches.push(`${at}: numpy ${JSON.stringify(w)}, richhf ${JSON.stringify(g)}`);
  };
  walk(want, got, '');
  return { worst, numbers, mismatches };
}

/** One thread, in this process: where a noisy pair's time goes (median of the maps of 50 items). */
function breakdown(inputs: EvalInputs): string {
  const ds = JSON.parse(readFileSync(inputs.dataset, 'utf8')) as { items: Record<string, string>[] };
  const pr = JSON.parse(readFileSync(inputs.predictions, 'utf8')) as { items: Record<string, string>[] };
  const inflate = (z: Uint8Array) => zlib.inflateSync(z);
  const n = 512 * 512;
  const jitter = jitterField(n);
  const ws = createWorkspace(n);
  const times = { predicted: [] as number[], truth: [] as number[], metrics: [] as number[], empty: [] as number[] };
  for (let round = 0; round < 2; round++) {
    for (const [k, item] of ds.items.slice(0, 50).entries()) {
      for (const field of ['artifactHeatmap', 'misalignmentHeatmap']) {
        const t0 = performance.now();
        const p = decodeBase64GrayPng(pr.items[k]![field]!, inflate);
        const t1 = performance.now();
        const g = decodeBase64GrayPng(item[field]!, inflate);
        const t2 = performance.now();
        if (!p.ok || !g.ok) throw new Error('bench maps do not decode');
        const gl = g.image.data as Uint8Array;
        const m = heatmapMetrics8(p.image.data as Uint8Array, gl, jitter, ws);
        const t3 = performance.now();
        if (round === 0) continue; // the first round warms up the code
        times.predicted.push(t1 - t0);
        times.truth.push(t2 - t1);
        (m.empty ? times.empty : times.metrics).push(t3 - t2);
      }
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(2);
  return `per map, one thread, median: prediction decode (base64, native inflate, row filters) ${med(times.predicted)} ms, ground truth decode ${med(times.truth)} ms; metrics (all seven) ${med(times.metrics)} ms, ${med(times.empty)} ms when the ground truth is empty (MSE only)`;
}

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const cpu = (r: Run) => (r.cpuMs === undefined ? '–' : s(r.cpuMs));
const mb = (kb: number | undefined) => (kb === undefined ? '–' : `${(kb / 1024).toFixed(0)} MB`);
const threads = os.availableParallelism();
const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-bench-'));
try {
  const rows: string[] = [];
  const notes: string[] = [];
  const row = (what: string, n: number, r: Run, note = '') =>
    rows.push(`| ${what} | ${n.toLocaleString('en-US')} | ${s(r.ms)} | ${((r.ms / n) * 1).toFixed(1)} ms | ${cpu(r)} | ${mb(r.maxRssKb)} | ${r.load.toFixed(1)} | ${note} |`);
  let detail = '';
  for (const [fullSize, noisy] of [
    [400, true],
    [1000, false],
  ] as const) {
    const kind = noisy ? 'noisy' : 'smooth';
    if (!SETS.split(',').includes(kind)) continue;
    const items = ITEMS ?? fullSize;
    const inputs = generateEvalInputs(items, noisy, path.join(dir, kind));
    const size = `${(statSync(inputs.dataset).size / 2 ** 20).toFixed(1)} + ${(statSync(inputs.predictions).size / 2 ** 20).toFixed(1)} MiB`;
    const npOut = path.join(dir, kind, 'numpy.json');
    const np = timed(PYTHON, [NUMPY, inputs.dataset, inputs.predictions], npOut);
    row(`numpy reference, ${kind} maps (${size})`, items, np);
    const out = path.join(dir, kind, 'richhf.json');
    const cli = (jobs?: number) =>
      timed(process.execPath, [BIN, 'evaluate', '--dataset', inputs.dataset, '--predictions', inputs.predictions, '--json', ...(jobs ? ['--jobs', String(jobs)] : [])], out);
    const runs = Array.from({ length: RUNS }, () => cli());
    const mid = [...runs].sort((x, y) => x.ms - y.ms)[runs.length >> 1]!;
    row(`richhf evaluate, ${kind} maps, default: ${threads} threads`, items, mid, runs.length > 1 ? `median of ${runs.length}: ${runs.map((r) => s(r.ms)).join(', ')}` : '');
    const check = agreement(npOut, out);
    row(`richhf evaluate, ${kind} maps, --jobs 1`, items, cli(1));
    const agree =
      check.mismatches.length === 0
        ? `numpy and richhf agree on all ${check.numbers} numbers of the report (figures within ${TOLERANCE} relative, largest difference ${check.worst.toExponential(1)}; counts and ids exactly)`
        : `MISMATCH: ${check.mismatches.slice(0, 5).join('; ')}`;
    notes.push(
      `- **${items.toLocaleString('en-US')} items, ${kind} maps: richhf is ${(np.ms / mid.ms).toFixed(1)}x the numpy reference** (${s(np.ms)} / ${s(mid.ms)}; CPU ${cpu(np)} / ${cpu(mid)}). ${agree}.`,
    );
    if (noisy) detail = breakdown(inputs);
  }
  console.log(
    'Whole processes, start-up and reading the files included (`node bin/richhf.mjs evaluate --json`, `python3 bench/evaluate_numpy.py`); 512x512 heatmaps, two pairs per item. CPU is user + system time of all threads; "load" is the 1-minute load average before the run: the machine may be shared.\n',
  );
  console.log('| run | items | wall time | per item | CPU | peak RSS | load | |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
  console.log('');
  for (const n of notes) console.log(n);
  console.log(`- ${detail}.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
