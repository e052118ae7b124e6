/**
 * The annotator page, measured in Debian's Chromium against a production build on localhost:
 * the gzipped JavaScript it loads (budget 180 KB, also on a collection server, with the server
 * client and the outbox), navigation to an annotatable item, the switch to the next item, Submit
 * -> next image on a collection server (`richhf serve` on localhost) beside the same in the
 * static mode, a 20,000-item pack, and frame times while dragging one of 300 points.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from '@playwright/test';
import { makeLargePack, cycleImages } from '../scripts/largePack.ts';
import { build, launch, median, quantile, ROOT, serve, serveCollection } from './browser.ts';

const RUNS = 5;

async function itemReadyAt(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('richhf:item-ready').length > 0, null, { timeout: 60_000 });
  return page.evaluate(() => performance.getEntriesByName('richhf:item-ready')[0]!.startTime);
}

/** Gives the four scores, waits until `imagesLoaded(i)` item images are in (the next one prefetched), then times Submit -> next image drawn. */
async function submitTimes(p: Page, n: number, imagePath: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    for (const scale of ['Plausibility', 'Alignment', 'Aesthetics', 'Overall']) {
      await p.getByRole('radiogroup', { name: scale }).getByRole('radio', { name: '3', exact: true }).check();
    }
    // The next item's image has arrived (an annotator spends seconds on each item; its decode follows at once).
    await p.waitForFunction(
      ([k, prefix]) => performance.getEntriesByType('resource').filter((e) => e.name.includes(prefix as string)).length >= (k as number),
      [i + 2, imagePath] as const,
      {
        timeout: 30_000,
      },
    );
    times.push(
      await p.evaluate(async () => {
        performance.clearMarks('richhf:item-ready');
        const t0 = performance.now();
        [...document.querySelectorAll('button')].find((b) => b.textContent === 'Submit')!.click();
        while (performance.getEntriesByName('richhf:item-ready').length === 0) await new Promise((r) => requestAnimationFrame(r));
        return performance.getEntriesByName('richhf:item-ready')[0]!.startTime - t0;
      }),
    );
  }
  return times;
}

/** Each script's file name and gzipped size, as the budget rows list them. */
function fileList(scripts: { url: string; gz: number }[]): string {
  return scripts.map((s) => `${s.url.replace(/^.*\//, '').replace(/-[\w-]{8}\.js$/, '.js')} ${(s.gz / 1024).toFixed(1)}`).join(', ');
}

/** The scripts a page loads (modulepreloaded ones too), gzipped at level 9 as a static host or `richhf serve` would send them. */
function captureScripts(page: Page): { url: string; raw: number; gz: number; gz6: number }[] {
  const scripts: { url: string; raw: number; gz: number; gz6: number }[] = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() === 'script') {
      const body = await res.body();
      scripts.push({ url: res.url(), raw: body.length, gz: gzipSync(body, { level: 9 }).length, gz6: gzipSync(body, { level: 6 }).length });
    }
  });
  return scripts;
}

/**
 * The page's first screen: the scripts asked for before the first item was ready to annotate
 * (`richhf:item-ready`), and those asked for later (chunks preloaded when the page is idle, for
 * screens and actions the first item's view does not need) within the bench's wait.
 */
async function firstScreen<T extends { url: string }>(page: Page, scripts: T[]): Promise<{ first: T[]; later: T[] }> {
  const early = new Set(
    await page.evaluate(() => {
      const ready = performance.getEntriesByName('richhf:item-ready')[0]!.startTime;
      return performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime < ready)
        .map((e) => e.name);
    }),
  );
  return { first: scripts.filter((s) => early.has(s.url)), later: scripts.filter((s) => !early.has(s.url)) };
}

const kb = (xs: { gz: number }[]) => (xs.reduce((a, x) => a + x.gz, 0) / 1024).toFixed(1);

/** A collection server on the demo images: a pack of `n` items (K = 1) in a temporary folder, one annotator invited. */
async function collection(n: number): Promise<{ url: string; invite: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-bench-collect-'));
  const demo = JSON.parse(readFileSync(path.join(ROOT, 'public/demo/pack.json'), 'utf8')) as { items: { image: string; prompt: string; width: number; height: number }[] };
  mkdirSync(path.join(dir, 'images'));
  for (const it of demo.items) copyFileSync(path.join(ROOT, 'public/demo', it.image), path.join(dir, it.image));
  const items = Array.from({ length: n }, (_, i) => ({ ...demo.items[i % demo.items.length]!, id: String(i + 1).padStart(4, '0') }));
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify({ format: 'richhf-taskpack', version: 1, name: 'bench', annotatorsPerItem: 1, items }));
  const lead = 'bench-lead-token-0123456789abcdef';
  const s = await serveCollection(['--pack', path.join(dir, 'pack.json'), '--db', path.join(dir, 'richhf.db')], lead);
  const res = await fetch(`${s.url}/api/v1/invites`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${lead}`, 'Content-Type': 'application/json' },
    body: '{"annotators":["bench"]}',
  });
  const { invites } = (await res.json()) as { invites: { url: string }[] };
  return { url: s.url, invite: invites[0]!.url, stop: s.stop };
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
}

build();
const server = await serve(4180);
const browser = await launch();
try {
  // 1. JavaScript loaded by the annotator page, gzipped as a static host would serve it.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const scripts: { url: string; raw: number; gz: number; gz6: number }[] = [];
  page.on('response', async (res) => {
    if (res.request().resourceType() === 'script') {
      const body = await res.body();
      scripts.push({ url: res.url(), raw: body.length, gz: gzipSync(body, { level: 9 }).length, gz6: gzipSync(body, { level: 6 }).length });
    }
  });
  await page.goto(`${server.url}/?annotator=bench`);
  await itemReadyAt(page);
  await page.waitForTimeout(300);
  const { first, later } = await firstScreen(page, scripts);
  const gz = first.reduce((a, s) => a + s.gz, 0);
  const gz6 = first.reduce((a, s) => a + s.gz6, 0);
  const raw = first.reduce((a, s) => a + s.raw, 0);
  console.log(`| measure | result | budget |\n| --- | --- | --- |`);
  console.log(
    `| JavaScript loaded by the annotator page before its first item is ready (${first.length} file${first.length === 1 ? '' : 's'}: ${fileList(first)}) | **${(gz / 1024).toFixed(1)} KB gzipped** at level 9, ${(gz6 / 1024).toFixed(1)} KB at level 6 (${(raw / 1024).toFixed(0)} KB raw); then, when idle, ${kb(later)} KB (${fileList(later) || 'none yet'}) | ≤ 160 KB (issue 20) |`,
  );
  await ctx.close();

  // 1b. The same on a collection server (the entry and the collection client's chunk), and the entry chunk (`base`, vite.config.ts) itself.
  {
    const entry = /src="\.\/(assets\/base-[^"]+\.js)"/.exec(readFileSync(path.join(ROOT, 'dist/index.html'), 'utf8'))![1]!;
    const entryGz = gzipSync(readFileSync(path.join(ROOT, 'dist', entry)), { level: 9 }).length;
    const c = await collection(4);
    const p = await newPage(browser);
    const loaded = captureScripts(p);
    await p.goto(c.invite);
    await itemReadyAt(p);
    await p.waitForTimeout(300);
    const { first, later } = await firstScreen(p, loaded);
    console.log(
      `| JavaScript loaded by the annotator page on a collection server before its first item is ready (${first.length} file${first.length === 1 ? '' : 's'}: ${fileList(first)}; entry chunk dist/${entry}: ${(entryGz / 1024).toFixed(1)} KB) | **${kb(first)} KB gzipped** at level 9; then, when idle, ${kb(later)} KB (${fileList(later) || 'none yet'}) | ≤ 160 KB (issue 20) |`,
    );
    await p.context().close();
    await c.stop();
  }

  // ANNOTATOR_BENCH=size: the two size rows only (they are deterministic; for a quick look beside another build).
  if (process.env.ANNOTATOR_BENCH !== 'size') {
    // 2. Navigation to an annotatable item (image drawn, view fitted), fresh profile each run.
    const nav: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await c.newPage();
      await p.goto(`${server.url}/?annotator=bench${i}`);
      nav.push(await itemReadyAt(p));
      await c.close();
    }
    console.log(
      `| Navigation to an annotatable item (demo pack, localhost, fresh profile) | median ${median(nav).toFixed(0)} ms (max ${Math.max(...nav).toFixed(0)} ms, ${RUNS} runs) | |`,
    );

    // 3. Switching to the next item (prefetched image): click "Next item" -> next item drawn.
    {
      const c = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await c.newPage();
      await p.goto(`${server.url}/?annotator=switch`);
      await itemReadyAt(p);
      const times: number[] = [];
      for (let i = 0; i < 7; i++) {
        await p.waitForTimeout(400); // let the prefetch of the next image finish, as an annotator's pause would
        const dt = await p.evaluate(async () => {
          performance.clearMarks('richhf:item-ready');
          const t0 = performance.now();
          const next = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Next item')!;
          next.click();
          while (performance.getEntriesByName('richhf:item-ready').length === 0) await new Promise((r) => requestAnimationFrame(r));
          return performance.getEntriesByName('richhf:item-ready')[0]!.startTime - t0;
        });
        times.push(dt);
      }
      console.log(`| Switch to the next item (click → next image drawn) | median ${median(times).toFixed(1)} ms (max ${Math.max(...times).toFixed(1)} ms, 7 switches) | instant |`);
      await c.close();
    }

    // 3b. Submit -> next image drawn: on a collection server (richhf serve on localhost: the record
    // goes to the outbox and the server, the next item was leased and its image loaded ahead), and
    // in the static mode in the same run as the reference.
    {
      const staticPage = await newPage(browser);
      await staticPage.goto(`${server.url}/?annotator=submit`);
      await itemReadyAt(staticPage);
      const reference = await submitTimes(staticPage, 6, '/demo/images/');
      await staticPage.context().close();

      const c = await collection(14);
      const p = await newPage(browser);
      await p.goto(c.invite);
      await itemReadyAt(p);
      const times = await submitTimes(p, 10, '/api/v1/images/');
      await p.context().close();
      await c.stop();
      console.log(
        `| Submit → next image drawn, on a collection server (richhf serve, SQLite, localhost) | median ${median(times).toFixed(1)} ms (max ${Math.max(...times).toFixed(1)} ms, ${times.length} submissions); static mode in the same run: median ${median(reference).toFixed(1)} ms (max ${Math.max(...reference).toFixed(1)} ms) | < 50 ms |`,
      );
    }

    // 4. A generated 20,000-item pack: fetch, validate, open the queue, draw the first item.
    {
      const pack = makeLargePack(
        20_000,
        1,
        // Absolute URLs: a pack's relative paths stay inside its own folder (big/), the demo's images are not there.
        cycleImages([
          { image: `${server.url}/demo/images/0001.png`, width: 512, height: 512 },
          { image: `${server.url}/demo/images/0005.png`, width: 768, height: 512 },
        ]),
      );
      const body = JSON.stringify(pack);
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const c = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        const p = await c.newPage();
        await p.route('**/big/pack.json', (r) => r.fulfill({ contentType: 'application/json', body }));
        await p.goto(`${server.url}/?annotator=big&pack=big/pack.json`);
        times.push(await itemReadyAt(p));
        await c.close();
      }
      console.log(
        `| 20,000-item pack (${(body.length / 2 ** 20).toFixed(1)} MB): navigation to an annotatable item | median ${median(times).toFixed(0)} ms (3 runs) | no visible stall |`,
      );
    }

    // 5. 300 points on the canvas, one dragged: frame intervals and main-thread work per frame.
    {
      const c = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const p = await c.newPage();
      await p.goto(`${server.url}/?annotator=drag`);
      await itemReadyAt(p);
      const points = Array.from({ length: 300 }, (_, i) => ({ kind: i % 2 ? 'artifact' : 'misalignment', x: 20 + ((i * 37) % 470), y: 20 + ((i * 53) % 470) }));
      const file = {
        format: 'richhf-annotations',
        version: 1,
        annotator: 'drag',
        pack: 'demo',
        annotations: [
          {
            itemId: '0001',
            imageWidth: 512,
            imageHeight: 512,
            points,
            misalignedTokens: [],
            scores: { plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 },
            submittedAt: new Date().toISOString(),
            activeMs: 0,
          },
        ],
      };
      await p.getByLabel('Import annotations').setInputFiles({ name: 'drag.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
      await p.waitForFunction(() => (window as unknown as { __richhf: { state(): { points: unknown[] } } }).__richhf.state().points.length === 300);
      const api = (x: number, y: number) =>
        p.evaluate(([x, y]) => (window as unknown as { __richhf: { imageToClient(x: number, y: number): { x: number; y: number } } }).__richhf.imageToClient(x!, y!), [x, y]);
      const start = await api(points[0]!.x, points[0]!.y);
      // Plain script text: tsx would wrap named functions in a helper the page does not have.
      await p.evaluate(`(() => {
      window.__frames = [];
      window.__work = [];
      let last = performance.now();
      function tick(t) { window.__frames.push(t - last); last = t; requestAnimationFrame(tick); }
      requestAnimationFrame(tick);
      new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__work.push(e.duration); })
        .observe({ type: 'long-animation-frame', buffered: false });
    })()`);
      // Main-thread time spent by the page (scripts, style, layout, paint) during the drag, from
      // Chromium's own task accounting, divided by the frames drawn.
      const cdp = await c.newCDPSession(p);
      await cdp.send('Performance.enable');
      const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0;
      await p.mouse.move(start.x, start.y);
      const busy0 = await taskSeconds();
      await p.mouse.down();
      const steps = 120;
      for (let i = 1; i <= steps; i++) {
        await p.mouse.move(start.x + Math.sin(i / 10) * 150, start.y + i * 2);
        await p.waitForTimeout(16);
      }
      await p.mouse.up();
      const busy = (await taskSeconds()) - busy0;
      const { frames, longFrames } = await p.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __work: number[] };
        return { frames: w.__frames.slice(2), longFrames: w.__work.length };
      });
      const fps = 1000 / median(frames);
      console.log(
        `| Dragging 1 of 300 points: frame interval | median ${median(frames).toFixed(1)} ms (≈${fps.toFixed(0)} fps), p95 ${quantile(frames, 0.95).toFixed(1)} ms, ${longFrames} long frame(s) over 50 ms | 60 fps |`,
      );
      console.log(`| Dragging 1 of 300 points: main-thread work per drag step | ${((busy * 1000) / steps).toFixed(1)} ms (all page tasks during ${steps} moves) | < 16.7 ms |`);
      await c.close();
    }
  }
} finally {
  await browser.close();
  server.stop();
}
