/**
 * `richhf consolidate` at RichHF-18K's size: 17,760 items x 3 annotators, 0-6 points of each
 * kind per annotator, 512x512 images and heatmaps, JSON + TFRecord output. Inputs are
 * generated here (seeded, in a temp dir); each run is a child process so its peak memory
 * (max RSS, worker threads included) is its own. Compared with the naive numpy
 * baseline of about 13 ms per item.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { consolidateFiles } from '../src/cli/commands/consolidate.ts';
import type { AnnotationFile } from '../src/core/formats/annotations.ts';
import type { TaskPack } from '../src/core/formats/taskpack.ts';
import { tokenize } from '../src/core/text/tokenize.ts';
import { seededRandom } from '../scripts/largePack.ts';

const BASELINE_MS_PER_ITEM = 13;

const WORDS = ['a', 'red', 'cat', 'sitting', 'on', 'the', 'blue', 'sofa', 'three', 'balls', 'wooden', 'table', 'portrait', 'of', 'smiling', 'woman', 'sunset', 'over', 'sea'];

function generate(n: number, dir: string): { pack: string; files: string[] } {
  const random = seededRandom(n);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const items = Array.from({ length: n }, (_, i) => {
    const words = Array.from({ length: int(5, 12) }, () => WORDS[int(0, WORDS.length - 1)]!);
    return { id: String(i + 1).padStart(6, '0'), image: `images/${String(i + 1).padStart(6, '0')}.png`, prompt: words.join(' '), width: 512, height: 512 };
  });
  const pack: TaskPack = { format: 'richhf-taskpack', version: 1, name: 'bench', annotatorsPerItem: 3, items };
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(pack));
  const files = ['alice', 'bob', 'carol'].map((annotator) => {
    const file: AnnotationFile = {
      format: 'richhf-annotations',
      version: 1,
      annotator,
      pack: 'bench',
      annotations: items.map((item) => {
        const tokens = tokenize(item.prompt).length;
        const points = (['artifact', 'misalignment'] as const).flatMap((kind) =>
          Array.from({ length: int(0, 6) }, () => ({ kind, x: Math.round(random() * 5120) / 10, y: Math.round(random() * 5120) / 10 })),
        );
        const misalignedTokens = [...new Set(Array.from({ length: int(0, 2) }, () => int(0, tokens - 1)))];
        const s = () => int(1, 5);
        return {
          itemId: item.id,
          imageWidth: 512,
          imageHeight: 512,
          points,
          misalignedTokens,
          scores: { plausibility: s(), alignment: s(), aesthetics: s(), overall: s() },
          submittedAt: '2026-11-26T10:00:00.000Z',
          activeMs: int(5000, 90000),
        };
      }),
    };
    const name = path.join(dir, `${annotator}.json`);
    writeFileSync(name, JSON.stringify(file));
    return name;
  });
  return { pack: path.join(dir, 'pack.json'), files };
}

/** `--generate N DIR`: only write the inputs (for profiling by hand). */
if (process.argv[2] === '--generate') {
  console.log(generate(Number(process.argv[3]), process.argv[4]!));
  process.exit(0);
}

/** Child mode: consolidate once and report wall time and peak RSS as JSON on stdout. */
if (process.argv[2] === '--child') {
  const [, , , pack, out, tf, jobs, ...files] = process.argv;
  const quiet = { out() {}, err: (t: string) => process.stderr.write(t), isTty: false };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const code = await consolidateFiles({ pack: pack!, out: out!, tfrecord: tf, grid: { width: 512, height: 512 }, jobs: Number(jobs), files }, quiet);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ code, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }));
  process.exit(0);
}

const self = new URL(import.meta.url).pathname;
const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-bench-'));
const cpus = os.availableParallelism();
const rows: string[] = [];
try {
  for (const [n, jobsList] of [
    [1000, [1, cpus]],
    [17760, [1, cpus]],
  ] as const) {
    const sub = path.join(dir, String(n));
    rmSync(sub, { recursive: true, force: true });
    const { pack, files } = (() => {
      spawnSync('mkdir', ['-p', sub]);
      return generate(n, sub);
    })();
    for (const jobs of jobsList) {
      const out = path.join(sub, 'dataset.json');
      const tf = path.join(sub, 'dataset.tfrecord');
      const load = os.loadavg()[0]!;
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', pack, out, tf, String(jobs), ...files], { encoding: 'utf8', maxBuffer: 1 << 20 });
      const res = JSON.parse(r.stdout || '{}') as { code?: number; ms?: number; cpuMs?: number; maxRssKb?: number };
      if (res.code !== 0 || res.ms === undefined) throw new Error(`run failed: ${r.stderr}`);
      const perItem = res.ms / n;
      rows.push(
        `| ${n.toLocaleString('en-US')} | ${jobs} | ${(res.ms / 1000).toFixed(2)} s | ${(res.cpuMs! / 1000).toFixed(2)} s | ${Math.round(n / (res.ms / 1000)).toLocaleString('en-US')} | ${perItem.toFixed(3)} ms | ${(BASELINE_MS_PER_ITEM / perItem).toFixed(0)}x | ${(res.maxRssKb! / 1024).toFixed(0)} MB | ${(statSync(out).size / 2 ** 20).toFixed(1)} MB + ${(statSync(tf).size / 2 ** 20).toFixed(1)} MB | ${load.toFixed(1)} |`,
      );
    }
  }
  console.log(
    '`richhf consolidate` (JSON + TFRecord, 512x512 heatmaps, native zlib Z_RLE), 3 annotators, 0-6 points of each kind each; wall time includes starting, reading, validating and planning. CPU time counts all threads; "load before" is the 1-minute load average, since the machine may be shared.\n',
  );
  console.log('| items | threads | wall time | CPU time | items/s | per item (wall) | vs numpy 13 ms/item | peak RSS | output (JSON + TFRecord) | load before |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) console.log(r);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
