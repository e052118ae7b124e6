/**
 * The review page in the browser (the built app in Debian Chromium, driven by Playwright):
 * - time to import three annotators' files (read, validate against the pack, table rows and
 *   agreement statistics, all in the page's worker) for 1,000 and 20,000 items;
 * - time to consolidate and export the dataset JSON (heatmaps 512x512, PNGs) for the same;
 * - the gzipped size of the review page's own chunks (from this `vite build`).
 * Annotation files are generated here: 3 annotators per item, 0-6 points of each kind, random
 * scores and misaligned words (seeded, so every run has the same input).
 * `REVIEW_BENCH_SIZES=1000` limits the sizes while developing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { tokenize } from '../src/core/text/tokenize.ts';
import { cycleImages, makeLargePack, seededRandom } from '../scripts/largePack.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SIZES = (process.env.REVIEW_BENCH_SIZES ?? '1000,20000').split(',').map(Number);
const ANNOTATORS = ['alice', 'bob', 'carol'];
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-review-bench-'));
const dist = path.join(tmp, 'dist');

function build(): void {
  const r = spawnSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('vite build failed');
}

const gz = (file: string) => gzipSync(readFileSync(file)).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function chunkSizes(): string[] {
  const assets = path.join(dist, 'assets');
  const files = readdirSync(assets).filter((f) => !f.endsWith('.map'));
  const pick = (re: RegExp) => files.filter((f) => re.test(f)).map((f) => path.join(assets, f));
  const sum = (list: string[]) => list.reduce((a, f) => a + gz(f), 0);
  const page = pick(/^reviewChunk-.*\.(js|css)$/);
  const worker = pick(/^(review|item)\.worker-.*\.js$/);
  const entry = pick(/^base-.*\.js$/);
  const parquet = pick(/^parquetZip-.*\.js$/);
  return [
    `- Review page chunk (JS + CSS, loaded on \`#/review\` only): ${kb(sum(page))} gzipped (${page.map((f) => `${path.basename(f).replace(/-[\w-]{8}\./, '.')} ${kb(gz(f))}`).join(', ')})`,
    `- Review workers (engine, metrics, PNG, TFRecord, ZIP; loaded by the review page only): ${kb(sum(worker))} gzipped (${worker.map((f) => `${path.basename(f).replace(/-[\w-]{8}\./, '.')} ${kb(gz(f))}`).join(', ')})`,
    `- Parquet chunk of the review worker (hyparquet-writer, the card, the ZIP; loaded when the lead first downloads the Parquet files): ${kb(sum(parquet))} gzipped`,
    `- For comparison, the app's entry chunk (annotator page): ${kb(sum(entry))} gzipped (${kb(entry.reduce((a, f) => a + statSync(f).size, 0))} raw)`,
  ];
}

interface Demo {
  items: { image: string; width?: number; height?: number }[];
}

function makeInputs(n: number): { pack: string; files: string[] } {
  const demo = JSON.parse(readFileSync(path.join(ROOT, 'public/demo/pack.json'), 'utf8')) as Demo;
  const pack = makeLargePack(n, 42, cycleImages(demo.items.map((d) => ({ image: `demo/${d.image}`, width: d.width, height: d.height }))), `bench-${n}`);
  const rand = seededRandom(n);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const files = ANNOTATORS.map((annotator) => {
    const annotations = pack.items.map((item) => {
      const w = item.width ?? 512;
      const h = item.height ?? 512;
      const points = [];
      for (const kind of ['artifact', 'misalignment'] as const) {
        for (let k = int(0, 6); k > 0; k--) points.push({ kind, x: Math.round(rand() * w * 10) / 10, y: Math.round(rand() * h * 10) / 10 });
      }
      const tokens = tokenize(item.prompt).length;
      const misalignedTokens = [...new Set(Array.from({ length: int(0, 2) }, () => int(0, tokens - 1)))].filter((t) => t >= 0);
      return {
        itemId: item.id,
        imageWidth: w,
        imageHeight: h,
        points,
        misalignedTokens,
        scores: { plausibility: int(1, 5), alignment: int(1, 5), aesthetics: int(1, 5), overall: int(1, 5) },
        submittedAt: '2026-11-26T10:00:00.000Z',
        activeMs: int(5_000, 90_000),
      };
    });
    const file = path.join(tmp, `${annotator}-${n}.json`);
    writeFileSync(file, JSON.stringify({ format: 'richhf-annotations', version: 1, annotator, pack: pack.name, annotations }));
    return file;
  });
  return { pack: JSON.stringify(pack), files };
}

/** A minimal static server for the built app plus the generated pack (no dependency). */
function serve(packs: Map<string, string>): Promise<http.Server> {
  const types: Record<string, string> = {
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.html': 'text/html',
    '.json': 'application/json',
    '.png': 'image/png',
    '.svg': 'image/svg+xml',
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const pack = packs.get(url.pathname);
    if (pack) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(pack);
      return;
    }
    const file = path.join(dist, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(dist) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main(): Promise<void> {
  build();
  const packs = new Map<string, string>();
  const inputs = new Map<number, string[]>();
  for (const n of SIZES) {
    const { pack, files } = makeInputs(n);
    packs.set(`/bench-${n}.json`, pack);
    inputs.set(n, files);
  }
  const server = await serve(packs);
  const port = (server.address() as { port: number }).port;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...(isRoot ? ['--no-sandbox'] : []), '--disable-gpu', '--enable-precise-memory-info'],
  });
  const scrolls: string[] = [];
  const lines: string[] = [
    '| items × annotators | input files | import (validate + table + agreement) | consolidate + export dataset JSON | dataset size |',
    '|---|---|---|---|---|',
  ];
  try {
    for (const n of SIZES) {
      const files = inputs.get(n)!;
      const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      page.setDefaultTimeout(600_000);
      await page.goto(`http://127.0.0.1:${port}/?pack=${encodeURIComponent(`/bench-${n}.json`)}#/review`);
      await page.getByText(`Pack bench-${n}: ${n} items`).waitFor();
      await page.waitForFunction(() => !(document.querySelector('input[type=file][multiple][accept^=".json,application"]') as HTMLInputElement | null)?.disabled);
      const t0 = performance.now();
      await page.getByLabel('Annotation files').setInputFiles(files);
      await page.getByRole('table', { name: 'Per-annotator statistics' }).getByRole('row').nth(3).waitFor();
      await page.getByRole('status').filter({ hasText: 'Working' }).waitFor({ state: 'detached' });
      const importMs = performance.now() - t0;
      // Scrolling the virtualized table to its middle: time until that row is on screen.
      const mid = String(Math.ceil(n / 2)).padStart(Math.max(4, String(n).length), '0');
      const t2 = performance.now();
      await page.getByRole('rowgroup', { name: 'Item rows' }).evaluate((el, top) => (el.scrollTop = top), (Math.ceil(n / 2) - 1) * 56);
      await page.getByRole('button', { name: `Open item ${mid}`, exact: true }).waitFor();
      const scrollMs = performance.now() - t2;
      const domRows = await page.getByRole('table', { name: 'Items', exact: true }).getByRole('row').count();
      // The page's own JS heap (main thread; the workers hold the parsed files and do the work).
      const heap = await page.evaluate(() => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? NaN);
      const t1 = performance.now();
      const download = page.waitForEvent('download', { timeout: 900_000 });
      await page.getByRole('button', { name: 'Export dataset' }).click();
      const d = await download;
      const exportMs = performance.now() - t1;
      const saved = path.join(tmp, `dataset-${n}.json`);
      await d.saveAs(saved);
      const inputBytes = files.reduce((a, f) => a + statSync(f).size, 0);
      scrolls.push(
        `- ${n.toLocaleString('en-US')} items: scrolling the table to item ${mid} shows it in ${scrollMs.toFixed(0)} ms; ${domRows} table rows in the DOM (virtualized, header included); page main-thread JS heap after the import ${(heap / 2 ** 20).toFixed(0)} MiB`,
      );
      lines.push(
        `| ${n.toLocaleString('en-US')} × 3 | ${(inputBytes / 2 ** 20).toFixed(1)} MiB | ${(importMs / 1000).toFixed(2)} s (${Math.round(n / (importMs / 1000)).toLocaleString('en-US')} items/s) | ${(exportMs / 1000).toFixed(2)} s (${Math.round(n / (exportMs / 1000)).toLocaleString('en-US')} items/s) | ${(statSync(saved).size / 2 ** 20).toFixed(1)} MiB |`,
      );
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(
    'Review page in Debian Chromium (headless), built app, the page worker plus one helper worker per core; heatmaps 512×512, PNGs deflated by src/core/encode/zlibRle.ts (zlib Z_RLE, byte for byte, from runs).\n',
  );
  console.log(lines.join('\n'));
  console.log('');
  console.log(scrolls.join('\n'));
  console.log('');
  console.log(chunkSizes().join('\n'));
  rmSync(tmp, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(1);
});
