/**
 * `richhf consolidate --parquet` against the same run without it: 20,000 items (3 annotators
 * each, bench/consolidateInput.ts) with their images, each run a whole process (start-up
 * included), alternated, five of each (PARQUET_BENCH_ROUNDS), medians compared (on this shared
 * machine one run of the same command differs from the next by 5 to 10%). The target:
 * --parquet adds at most 50% to the run, excluding reading the image files; that reading is
 * timed on its own (every item's image read as the export reads it, through the compiled
 * packImageReader) and subtracted. Inputs and outputs are on tmpfs (/dev/shm) when there is
 * one, so the disk's speed is not measured, and each run writes into a fresh folder (the last
 * run's outputs are removed before it, untimed); peak RSS comes from /usr/bin/time.
 *
 * PARQUET_BENCH_REFERENCE=path/to/bin/richhf.mjs (another build, e.g. main's) runs that build
 * beside this one in the same rounds, both ways, and checks that both write the same files.
 *
 * Images: 64 distinct 512x512 PNGs of about 130 KiB (half noise), item i using image i % 64;
 * 20,000 distinct files would be 2.6 GB to generate, and the reading is excluded anyway.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeGrayPng } from '../src/core/encode/png.ts';
import { generate } from './consolidateInput.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BIN = path.join(ROOT, 'bin/richhf.mjs');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const N = Number(process.env.PARQUET_BENCH_ITEMS ?? 20_000);
const REFERENCE = process.env.PARQUET_BENCH_REFERENCE ? path.resolve(process.env.PARQUET_BENCH_REFERENCE) : undefined;
const IMAGES = 64;
const ROUNDS = Number(process.env.PARQUET_BENCH_ROUNDS ?? 5);

interface Run {
  readonly ms: number;
  /** User + system CPU time of the process and its threads: less moved by other jobs on the machine than wall time. */
  readonly cpuMs: number | undefined;
  readonly maxRssKb: number | undefined;
  readonly load: number;
}

function timed(args: string[]): Run {
  const load = os.loadavg()[0]!;
  const argv = TIME ? [TIME, '-f', 'maxrss=%M cpu=%U+%S', process.execPath, ...args] : [process.execPath, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 24 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const rss = /maxrss=(\d+)/.exec(r.stderr ?? '');
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  return { ms, cpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : undefined, maxRssKb: rss ? Number(rss[1]) : undefined, load };
}

const base = existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
const dir = mkdtempSync(path.join(base, 'richhf-bench-parquet-'));
try {
  const input = generate(N, dir);
  mkdirSync(path.join(dir, 'images'));
  let x = 1;
  for (let k = 0; k < IMAGES; k++) {
    const gray = new Uint8Array(512 * 512).map((_, i) => (i % 512 < 256 ? (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24 : k));
    writeFileSync(path.join(dir, 'images', `${k}.png`), encodeGrayPng(512, 512, gray));
  }
  const pack = JSON.parse(readFileSync(input.pack, 'utf8')) as { items: { image: string }[] };
  pack.items.forEach((item, i) => (item.image = `images/${i % IMAGES}.png`));
  writeFileSync(input.pack, JSON.stringify(pack));

  const out = path.join(dir, 'dataset.json');
  const hf = path.join(dir, 'hf');
  const hfReference = path.join(dir, 'hf-reference');
  // Each run writes into a folder of its own: the last run's outputs are removed first, outside
  // the timing, since replacing an earlier export (2.7 GB of shards for 20,000 items) is the file
  // system freeing its pages, not the work of adding --parquet, and on tmpfs that alone ranged
  // from nothing to 6 s of system time from one run to the next.
  const fresh = (...paths: string[]) => {
    for (const p of paths) rmSync(p, { recursive: true, force: true });
  };
  const plain = (bin = BIN) => (fresh(out), timed([bin, 'consolidate', '--pack', input.pack, '--out', out, ...input.files]));
  const parquet = (bin = BIN, to = hf) => (fresh(out, to), timed([bin, 'consolidate', '--pack', input.pack, '--out', out, '--parquet', to, ...input.files]));
  // What the export's image reading costs on its own: the same reader, reading each file as the
  // writer thread does (packImage.ts, parquetWorker.ts).
  const readScript = (root: string, name: string) => {
    const file = path.join(dir, name);
    writeFileSync(
      file,
      existsSync(path.join(root, 'build/node/imageArena.js'))
        ? // Builds before DeferredBytes: each image read into an ImageArena, released once read.
          `import { packImageReader } from ${JSON.stringify(path.join(root, 'build/node/packImage.js'))};
import { ImageArena } from ${JSON.stringify(path.join(root, 'build/node/imageArena.js'))};
const pack = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(input.pack)}, 'utf8'));
const arena = new ImageArena();
const read = packImageReader(${JSON.stringify(dir)}, (size, split) => arena.allocate(size, split));
let at = 0;
const next = async () => { while (at < pack.items.length) { const item = pack.items[at++]; arena.release(await read(item.image, item.id, 'train')); } };
await Promise.all(Array.from({ length: 16 }, next));
`
        : // As the export reads them: each image's first bytes with its row, then the whole file into
          // the shard writer's one reused buffer when its page is written.
          `import { packImageReader } from ${JSON.stringify(path.join(root, 'build/node/packImage.js'))};
const pack = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(input.pack)}, 'utf8'));
const read = packImageReader(${JSON.stringify(dir)});
let scratch = new Uint8Array(0);
for (const item of pack.items) {
  const bytes = await read(item.image, item.id);
  if (bytes instanceof Uint8Array) continue;
  if (scratch.length < bytes.length) scratch = new Uint8Array(Math.max(bytes.length, 2 * scratch.length));
  bytes.fill(scratch.subarray(0, bytes.length));
}
`,
    );
    return file;
  };
  const ownReader = readScript(ROOT, 'read-images.mjs');
  // The reference build's own reader, for its own figure (builds before 1a0c858 read asynchronously).
  const referenceReader = REFERENCE ? readScript(path.dirname(path.dirname(REFERENCE)), 'read-images-reference.mjs') : undefined;
  const reading = (script = ownReader) => timed([script]);
  const empty = path.join(dir, 'empty.mjs');
  writeFileSync(empty, '');
  const nodeStart = () => timed([empty]);

  const plains: Run[] = [];
  const parquets: Run[] = [];
  const reads: Run[] = [];
  const refReads: Run[] = [];
  const starts: Run[] = [];
  const refPlains: Run[] = [];
  const refParquets: Run[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    if (REFERENCE) {
      refPlains.push(plain(REFERENCE));
      refParquets.push(parquet(REFERENCE, hfReference));
    }
    plains.push(plain());
    parquets.push(parquet());
    reads.push(reading());
    if (referenceReader) refReads.push(reading(referenceReader));
    starts.push(nodeStart());
  }
  const median = (runs: Run[]) => [...runs].sort((a, b) => a.ms - b.ms)[(runs.length - 1) >> 1]!;
  const p = median(plains);
  const q = median(parquets);
  const r = median(reads);
  const start = median(starts);
  const readMs = r.ms - start.ms; // the reading script's own node start-up is not part of the export
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (kb: number | undefined) => (kb === undefined ? '–' : `${(kb / 1024).toFixed(0)} MB`);
  const shards = readdirSync(path.join(hf, 'data'));
  const bytes = shards.reduce((n, f) => n + statSync(path.join(hf, 'data', f)).size, 0);
  const all = (runs: Run[]) => runs.map((x) => s(x.ms)).join(', ');
  const loads = (runs: Run[]) => runs.map((x) => x.load.toFixed(1)).join(', ');

  console.log(
    `Whole processes; ${N.toLocaleString('en-US')} items, 3 annotators each, 512x512 heatmaps, ${IMAGES} distinct 512x512 PNG images of about ${(statSync(path.join(dir, 'images/0.png')).size / 1024).toFixed(0)} KiB; files on ${base}. "load": 1-minute load averages before each run.\n`,
  );
  const cpu = (x: Run) => (x.cpuMs === undefined ? '–' : s(x.cpuMs));
  console.log(`| run | wall time (median of ${ROUNDS}) | runs | CPU time of that run | peak RSS | load |`);
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(`| richhf consolidate (JSON) | ${s(p.ms)} | ${all(plains)} | ${cpu(p)} | ${mb(p.maxRssKb)} | ${loads(plains)} |`);
  console.log(`| richhf consolidate (JSON) --parquet | ${s(q.ms)} | ${all(parquets)} | ${cpu(q)} | ${mb(q.maxRssKb)} | ${loads(parquets)} |`);
  if (REFERENCE) {
    const rp = median(refPlains);
    const rq = median(refParquets);
    console.log(`| reference build: richhf consolidate (JSON) | ${s(rp.ms)} | ${all(refPlains)} | ${cpu(rp)} | ${mb(rp.maxRssKb)} | ${loads(refPlains)} |`);
    console.log(`| reference build: richhf consolidate (JSON) --parquet | ${s(rq.ms)} | ${all(refParquets)} | ${cpu(rq)} | ${mb(rq.maxRssKb)} | ${loads(refParquets)} |`);
  }
  console.log(
    `| reading every item's image (packImageReader), node start-up (${s(start.ms)}, CPU ${cpu(start)}) taken off | ${s(readMs)} | ${all(reads)} | ${cpu(r)} | ${mb(r.maxRssKb)} | ${loads(reads)} |`,
  );
  console.log('');
  console.log(
    `- **--parquet adds ${(((q.ms - readMs) / p.ms - 1) * 100).toFixed(0)}%** to the run excluding the reading of the image files ((${s(q.ms)} − ${s(readMs)}) / ${s(p.ms)}; target ≤ 50%); ${((q.ms / p.ms - 1) * 100).toFixed(0)}% with it.`,
  );
  if (p.cpuMs !== undefined && q.cpuMs !== undefined && r.cpuMs !== undefined && start.cpuMs !== undefined)
    console.log(
      `- In CPU time: --parquet adds ${(((q.cpuMs - (r.cpuMs - start.cpuMs)) / p.cpuMs - 1) * 100).toFixed(0)}% excluding the reading (${s(q.cpuMs)} − ${s(r.cpuMs - start.cpuMs)} against ${s(p.cpuMs)}).`,
    );
  if (REFERENCE) {
    const rp = median(refPlains);
    const rq = median(refParquets);
    const rr = median(refReads);
    const refReadMs = rr.ms - start.ms;
    console.log(
      `- Reference build (${REFERENCE}): its own reader takes ${s(refReadMs)} (${all(refReads)}; CPU ${cpu(rr)}); --parquet adds ${(((rq.ms - refReadMs) / rp.ms - 1) * 100).toFixed(0)}% in wall time excluding it.`,
    );
    if (rp.cpuMs !== undefined && rq.cpuMs !== undefined && rr.cpuMs !== undefined && start.cpuMs !== undefined)
      console.log(
        `- Reference build, in CPU time: --parquet adds ${(((rq.cpuMs - (rr.cpuMs - start.cpuMs)) / rp.cpuMs - 1) * 100).toFixed(0)}% excluding its reading (${s(rq.cpuMs)} − ${s(rr.cpuMs - start.cpuMs)} against ${s(rp.cpuMs)}).`,
      );
    const files = (d: string) => [...readdirSync(path.join(d, 'data')).map((f) => `data/${f}`), 'README.md'];
    const same =
      files(hf).length === files(hfReference).length &&
      files(hf).every((f) => existsSync(path.join(hfReference, f)) && readFileSync(path.join(hf, f)).equals(readFileSync(path.join(hfReference, f))));
    console.log(`- The two builds' files (${files(hf).length}, card included) are ${same ? 'byte for byte the same' : '**not** the same'}.`);
  }
  console.log(
    `- Output: ${shards.length} shard${shards.length === 1 ? '' : 's'}, ${(bytes / 1e6).toFixed(0)} MB in all (${(bytes / N / 1024).toFixed(0)} KiB an item); peak RSS ${mb(q.maxRssKb)} against ${mb(p.maxRssKb)} without --parquet.`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
