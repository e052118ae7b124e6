/**
 * The lead's review page, driven as a lead would: import the three golden annotator files,
 * read the table, open an item and toggle its layers, export the dataset and compare it with
 * `richhf consolidate` on the same inputs (every field equal; heatmaps equal pixel by pixel
 * after decoding, since the browser deflates natively and the CLI with node's zlib), reject a
 * broken file with its located error, and find everything again after a reload.
 *
 * The fixture pack is served at a fake same-origin URL through page.route (nothing is copied
 * into public/); its images are the demo pack's, which the fixture pack mirrors.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, seriousA11yViolations, test, type ReviewPage } from './fixtures.ts';
import { base64ToBytes } from '../../src/core/encode/base64.ts';
import { decodeHeatmapPng } from '../../src/core/encode/pngDecode.ts';
import { readRecords } from '../../src/core/encode/tfrecord.ts';
import { tokenize } from '../../src/core/text/tokenize.ts';
import { cycleImages, makeLargePack, seededRandom } from '../../scripts/largePack.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'fixtures/consolidate');
const ANNOTATORS = ['alice', 'bob', 'carol'] as const;
const FILES = ANNOTATORS.map((a) => path.join(FIX, `${a}.json`));
const PACK_URL = '/__fixtures__/consolidate/pack.json';

interface Rec {
  itemId: string;
  points: { kind: string; x: number; y: number }[];
  submittedAt: string;
  scores: Record<string, number>;
}
const pack = JSON.parse(readFileSync(path.join(FIX, 'pack.json'), 'utf8')) as { items: { id: string }[]; annotatorsPerItem: number };
const files = Object.fromEntries(ANNOTATORS.map((a) => [a, JSON.parse(readFileSync(path.join(FIX, `${a}.json`), 'utf8')) as { annotations: Rec[] }]));

/** Distinct annotators per item id, from the fixture files themselves. */
function annotatorCount(id: string): number {
  return ANNOTATORS.filter((a) => files[a]!.annotations.some((r) => r.itemId === id)).length;
}

/** The latest record of an annotator for an item (the consolidation rule). */
function latest(a: (typeof ANNOTATORS)[number], id: string): Rec {
  return files[a]!.annotations.filter((r) => r.itemId === id).sort((x, y) => Date.parse(y.submittedAt) - Date.parse(x.submittedAt))[0]!;
}

async function serveFixtures(page: Page, dir = FIX, prefix = 'consolidate'): Promise<void> {
  await page.route(`**/__fixtures__/${prefix}/**`, async (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^.*\/__fixtures__\/[^/]+\//, '');
    // The fixture packs use the demo pack's images, which are in public/demo/images.
    const file = rel.startsWith('images/') ? path.join(ROOT, 'public/demo', rel) : path.join(dir, rel);
    if (!file.startsWith(ROOT + path.sep) && !file.startsWith(tmp + path.sep)) return route.fulfill({ status: 404 });
    try {
      await route.fulfill({ body: readFileSync(file), contentType: file.endsWith('.json') ? 'application/json' : 'image/png' });
    } catch {
      await route.fulfill({ status: 404 });
    }
  });
}

async function openReview(review: ReviewPage): Promise<void> {
  await serveFixtures(review.page);
  await review.open(`?pack=${encodeURIComponent(PACK_URL)}`);
  await expect(review.page.getByText(/Pack demo: \d+ items/)).toBeVisible();
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-review-e2e-'));

/** The CLI's dataset for the fixture inputs, made once. */
function cliDataset(): { text: string; tfrecord: Uint8Array } {
  const out = path.join(tmp, 'cli.json');
  const tf = path.join(tmp, 'cli.tfrecord');
  execFileSync(process.execPath, [path.join(ROOT, 'bin/richhf.mjs'), 'consolidate', '--pack', path.join(FIX, 'pack.json'), '--out', out, '--tfrecord', tf, ...FILES], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  return { text: readFileSync(out, 'utf8'), tfrecord: new Uint8Array(readFileSync(tf)) };
}

/** The dataset text with both heatmap strings blanked: what must be byte-identical. */
const withoutHeatmaps = (text: string) => text.replace(/"(artifactHeatmap|misalignmentHeatmap)":"[^"]*"/g, '"$1":""');

test('a lead imports three annotators, reviews an item and exports the same dataset as the CLI', async ({ page, review }) => {
  await openReview(review);
  await review.importFiles(FILES);
  const imported = review.importedFiles();
  await expect(imported.getByRole('row')).toHaveCount(4);
  for (const a of ANNOTATORS) await expect(imported.getByRole('cell', { name: a, exact: true })).toBeVisible();

  // The table: one row per pack item with its annotators done / required.
  await expect(page.getByText(`${pack.items.length} of ${pack.items.length} items shown`)).toBeVisible();
  for (const item of pack.items) {
    await expect(review.row(item.id)).toContainText(`${annotatorCount(item.id)} / ${pack.annotatorsPerItem}`);
  }
  const incomplete = pack.items.filter((i) => annotatorCount(i.id) < pack.annotatorsPerItem);
  for (const item of incomplete) await expect(review.row(item.id)).toContainText('Incomplete');
  // Filter: only incomplete items.
  await page.getByLabel('Show').selectOption('incomplete');
  await expect(page.getByText(`${incomplete.length} of ${pack.items.length} items shown`)).toBeVisible();
  await page.getByLabel('Show').selectOption('all');

  // The agreement summary is drawn.
  await expect(page.getByRole('img', { name: /^Plausibility spread: 0: \d+/ })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Per-annotator statistics' }).getByRole('row')).toHaveCount(4);

  // Open the first complete item and toggle layers. Its row shows each score's mean and spread.
  const first = pack.items.find((i) => annotatorCount(i.id) === 3)!.id;
  for (const score of ['plausibility', 'alignment', 'aesthetics', 'overall']) {
    const values = ANNOTATORS.map((a) => latest(a, first).scores[score]!);
    const mean = values.reduce((x, y) => x + y, 0) / values.length;
    await expect(review.row(first)).toContainText(`${mean.toFixed(2)} Δ${Math.max(...values) - Math.min(...values)}`);
  }
  await review.openItem(first);
  for (const a of ANNOTATORS) {
    await expect(page.getByRole('checkbox', { name: a, exact: true })).toBeChecked();
    await expect(page.locator(`g[data-annotator="${a}"] circle`)).toHaveCount(latest(a, first).points.length);
  }
  await page.getByRole('checkbox', { name: 'alice', exact: true }).uncheck();
  await expect(page.locator('g[data-annotator="alice"]')).toHaveCount(0);
  await expect(page.locator('g[data-annotator="bob"] circle')).toHaveCount(latest('bob', first).points.length);
  await page.getByRole('checkbox', { name: 'alice', exact: true }).check();
  await expect(page.locator('g[data-annotator="alice"] circle')).toHaveCount(latest('alice', first).points.length);
  await expect(page.getByRole('img', { name: 'Artifact heatmap overlay' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Artifact heatmap' }).uncheck();
  await expect(page.getByRole('img', { name: 'Artifact heatmap overlay' })).toHaveCount(0);
  await page.getByRole('checkbox', { name: 'Artifact heatmap' }).check();
  // The README's screenshot: `REVIEW_SCREENSHOT=1 npx playwright test tests/e2e/review.spec.ts`.
  if (process.env.REVIEW_SCREENSHOT) {
    // Show the complete item with the most artifact points, so the overlay is visible.
    const artifacts = (id: string) =>
      ANNOTATORS.reduce((n, a) => n + (files[a]!.annotations.some((r) => r.itemId === id) ? latest(a, id).points.filter((p) => p.kind === 'artifact').length : 0), 0);
    const showcase = pack.items.filter((i) => annotatorCount(i.id) === 3).sort((x, y) => artifacts(y.id) - artifacts(x.id))[0]!.id;
    await review.openItem(showcase);
    await page.getByRole('img', { name: 'Artifact heatmap overlay' }).waitFor();
    await page.screenshot({ path: path.join(ROOT, 'docs/review.png'), fullPage: true });
    await review.openItem(first);
  }
  await page.getByRole('slider', { name: 'Heatmap opacity' }).fill('0.3');
  await page.getByRole('slider', { name: 'Heatmap threshold' }).fill('0.5');

  // Next/previous, with the buttons and the keyboard.
  const second = pack.items[pack.items.findIndex((i) => i.id === first) + 1]!.id;
  await page.getByRole('button', { name: 'Next item' }).click();
  await expect(page.getByRole('heading', { name: `Item ${second}` })).toBeVisible();
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('heading', { name: `Item ${first}` })).toBeVisible();

  // Export the dataset and compare it with the command line's.
  const cli = cliDataset();
  const file = path.join(tmp, 'browser.json');
  await review.exportTo('Export dataset', file);
  const browserText = readFileSync(file, 'utf8');
  // Same pipeline and PNG encoder as the command line: the same bytes, heatmaps included.
  expect(browserText).toBe(cli.text);
  expect(withoutHeatmaps(browserText)).toBe(withoutHeatmaps(cli.text));
  const b = JSON.parse(browserText) as { items: Record<string, unknown>[] };
  const c = JSON.parse(cli.text) as { items: Record<string, unknown>[] };
  expect(b.items.map((i) => i.id)).toEqual(c.items.map((i) => i.id));
  b.items.forEach((bi, k) => {
    const ci = c.items[k]!;
    for (const key of Object.keys(ci)) {
      if (key.endsWith('Heatmap')) {
        const bp = decodeHeatmapPng(base64ToBytes(bi[key] as string));
        const cp = decodeHeatmapPng(base64ToBytes(ci[key] as string));
        expect([bp.width, bp.height]).toEqual([cp.width, cp.height]);
        expect(Buffer.from(bp.gray).equals(Buffer.from(cp.gray)), `${ci.id as string} ${key} pixels`).toBe(true);
      } else {
        expect(bi[key], `${ci.id as string} ${key}`).toEqual(ci[key]);
      }
    }
  });
  await expect(page.getByText(/Exported demo-dataset\.json: \d+ items/)).toBeVisible();

  // The open item's token votes and majority marks are the dataset's.
  const shown = c.items.find((i) => i.id === first)! as { tokens: string[]; tokenVotes: number[]; promptMisalignmentLabel: string };
  const tokenItems = page.getByRole('list', { name: 'Prompt tokens with misalignment votes' }).getByRole('listitem');
  await expect(tokenItems).toHaveCount(shown.tokens.length);
  const labels = shown.promptMisalignmentLabel.split(' ');
  for (const [k, t] of shown.tokens.entries()) {
    await expect(tokenItems.nth(k)).toHaveText(`${t} ${shown.tokenVotes[k]}${labels[k] === '0' ? ' (misaligned)' : ''}`);
  }

  // TFRecord: as many records as the CLI's, each framed correctly (readRecords checks the CRCs).
  const tfFile = path.join(tmp, 'browser.tfrecord');
  await review.exportTo('Export TFRecord', tfFile);
  expect(readRecords(new Uint8Array(readFileSync(tfFile))).length).toBe(readRecords(cli.tfrecord).length);

  // Inpainting masks: a ZIP download.
  expect(await review.exportTo('Export inpainting masks', path.join(tmp, 'masks.zip'))).toBe('demo-masks.zip');

  // A broken file is rejected with file and field; the good files stay.
  const broken = JSON.parse(readFileSync(FILES[0]!, 'utf8')) as { annotations: { scores: { overall: number } }[] };
  broken.annotations[0]!.scores.overall = 9;
  const brokenPath = path.join(tmp, 'broken.json');
  writeFileSync(brokenPath, JSON.stringify(broken));
  await review.importFiles(brokenPath);
  await expect(page.getByRole('alert')).toContainText('broken.json: annotations[0].scores.overall:');
  await expect(imported.getByRole('row')).toHaveCount(4);

  // No serious accessibility problems on the full page (item open, charts drawn, alert shown).
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Reload: the files and the settings come back from IndexedDB.
  await page.reload();
  await expect(review.importedFiles().getByRole('row')).toHaveCount(4);
  await expect(review.row(first)).toContainText(`3 / ${pack.annotatorsPerItem}`);
  await review.openButton(first).click();
  await expect(page.getByRole('slider', { name: 'Heatmap opacity' })).toHaveValue('0.3');
  await expect(page.getByRole('slider', { name: 'Heatmap threshold' })).toHaveValue('0.5');
});

test('a file for another pack is rejected with the field named, and nothing else changes', async ({ page, review }) => {
  await openReview(review);
  const other = JSON.parse(readFileSync(FILES[1]!, 'utf8')) as { pack: string };
  other.pack = 'another-pack';
  const p = path.join(tmp, 'other-pack.json');
  writeFileSync(p, JSON.stringify(other));
  await review.importFiles([FILES[0]!, p]);
  await expect(page.getByRole('alert')).toContainText('other-pack.json: pack:');
  await expect(review.importedFiles().getByRole('row')).toHaveCount(2);
  // Drag and drop works like the file input.
  const dropped = await page.evaluateHandle(
    ([name, text]) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], name, { type: 'application/json' }));
      return dt;
    },
    ['bob.json', readFileSync(FILES[1]!, 'utf8')] as const,
  );
  await page.getByRole('group', { name: 'File drop zone' }).dispatchEvent('drop', { dataTransfer: dropped });
  await expect(review.importedFiles().getByRole('row')).toHaveCount(3);
  await expect(review.importedFiles().getByRole('cell', { name: 'bob', exact: true })).toBeVisible();
  // Untrusted text stays text: an annotator named like markup is shown literally.
  const evil = JSON.parse(readFileSync(FILES[2]!, 'utf8')) as { annotator: string };
  evil.annotator = '<img src=x onerror="window.__pwned=1">';
  const e = path.join(tmp, 'evil.json');
  writeFileSync(e, JSON.stringify(evil));
  await review.importFiles(e);
  await expect(review.importedFiles().getByRole('cell', { name: evil.annotator })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});

test('a lead evaluates a model and sees the same table as richhf evaluate, and each prediction next to the ground truth', async ({ page, review }) => {
  // Predictions for the CLI's dataset: each item gets the next item's heatmaps, made-up scores
  // and its first token as misaligned (realistic enough to give non-trivial figures).
  const cli = cliDataset();
  const dataset = JSON.parse(cli.text) as { items: { id: string; artifactHeatmap: string; misalignmentHeatmap: string; tokens: string[] }[] };
  const items = dataset.items.map((it, k, all) => {
    const next = all[(k + 1) % all.length]!;
    return {
      id: it.id,
      scores: { plausibility: (k % 5) / 4, alignment: ((k * 3) % 5) / 4, aesthetics: 0.5, overall: ((k * 2) % 5) / 4 },
      artifactHeatmap: next.artifactHeatmap,
      misalignmentHeatmap: next.misalignmentHeatmap,
      misalignedTokens: it.tokens.length ? [0] : [],
    };
  });
  const predPath = path.join(tmp, 'predictions.json');
  writeFileSync(predPath, JSON.stringify({ format: 'richhf-predictions', version: 1, model: 'shifted-model', items }));
  const datasetPath = path.join(tmp, 'cli.json');
  const reportText = execFileSync(process.execPath, [path.join(ROOT, 'bin/richhf.mjs'), 'evaluate', '--dataset', datasetPath, '--predictions', predPath, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const report = JSON.parse(reportText) as {
    scores: Record<string, { plcc: number | null; srcc: number | null }>;
    heatmaps: Record<string, Record<string, number | null>>;
    words: { precision: number | null; recall: number | null; f1: number | null };
  };
  const fmt = (x: number | null, d = 3) => (x === null ? '—' : x.toFixed(d));

  await openReview(review);
  await review.importFiles(FILES);
  await expect(review.importedFiles().getByRole('row')).toHaveCount(4);
  await page.getByLabel('Predictions file').setInputFiles(predPath);
  const scores = page.getByRole('table', { name: 'Score metrics' });
  await expect(scores).toBeVisible();
  for (const [name, s] of Object.entries(report.scores)) {
    await expect(scores.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) })).toContainText(`${fmt(s.plcc)}${fmt(s.srcc)}`);
  }
  const heat = page.getByRole('table', { name: 'Heatmap metrics' });
  for (const kind of ['artifact', 'misalignment']) {
    const h = report.heatmaps[kind]!;
    const cells = await heat
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: kind, exact: true }) })
      .getByRole('cell')
      .allTextContents();
    expect(cells.slice(0, 7)).toEqual(['mse', 'mseEmpty', 'cc', 'kld', 'sim', 'nss', 'aucJudd'].map((f) => fmt(h[f]!, f.startsWith('mse') ? 5 : 3)));
  }
  const words = await page.getByRole('table', { name: 'Misaligned word metrics' }).getByRole('row').nth(1).getByRole('cell').allTextContents();
  expect(words.slice(0, 3)).toEqual([fmt(report.words.precision), fmt(report.words.recall), fmt(report.words.f1)]);

  // Per item: the predicted heatmap next to the ground truth.
  await review.openButton(dataset.items[0]!.id).click();
  await expect(page.getByRole('img', { name: 'Ground truth artifact heatmap' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Predicted artifact heatmap' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Predicted misalignment heatmap' })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);

  // A broken predictions file gets a located error.
  const bad = path.join(tmp, 'bad-predictions.json');
  writeFileSync(bad, JSON.stringify({ format: 'richhf-predictions', version: 1, items: [{ id: dataset.items[0]!.id, scores: { overall: 2 } }] }));
  await page.getByLabel('Predictions file').setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('bad-predictions.json: items[0].scores.overall:');
});

test('a few hundred items: the parallel export equals the CLI on a 64x64 grid', async ({ page, review }) => {
  // A generated pack (demo images cycled) and three annotators with 0-6 points of each kind.
  const n = 300;
  const demo = (JSON.parse(readFileSync(path.join(ROOT, 'public/demo/pack.json'), 'utf8')) as { items: { image: string; width?: number; height?: number }[] }).items;
  const genPack = makeLargePack(n, 7, cycleImages(demo.map((d) => ({ image: d.image, width: d.width, height: d.height }))), 'gen-300');
  const dir = mkdtempSync(path.join(tmp, 'gen-'));
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(genPack));
  const rand = seededRandom(11);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const genFiles = ANNOTATORS.map((annotator) => {
    const annotations = genPack.items.map((item) => {
      const w = item.width ?? 512;
      const h = item.height ?? 512;
      const points = (['artifact', 'misalignment'] as const).flatMap((kind) =>
        Array.from({ length: int(0, 6) }, () => ({ kind, x: Math.round(rand() * w), y: Math.round(rand() * h) })),
      );
      const tokens = tokenize(item.prompt).length;
      return {
        itemId: item.id,
        imageWidth: w,
        imageHeight: h,
        points,
        misalignedTokens: rand() < 0.5 ? [int(0, tokens - 1)] : [],
        scores: { plausibility: int(1, 5), alignment: int(1, 5), aesthetics: int(1, 5), overall: int(1, 5) },
        submittedAt: '2026-11-26T10:00:00.000Z',
        activeMs: int(1000, 60_000),
      };
    });
    const file = path.join(dir, `${annotator}.json`);
    writeFileSync(file, JSON.stringify({ format: 'richhf-annotations', version: 1, annotator, pack: genPack.name, annotations }));
    return file;
  });
  const cliOut = path.join(dir, 'cli.json');
  execFileSync(process.execPath, [path.join(ROOT, 'bin/richhf.mjs'), 'consolidate', '--pack', path.join(dir, 'pack.json'), '--out', cliOut, '--heatmap-size', '64', ...genFiles], {
    cwd: ROOT,
    stdio: 'pipe',
  });

  await serveFixtures(page, dir, 'gen');
  await review.open(`?pack=${encodeURIComponent('/__fixtures__/gen/pack.json')}`);
  await expect(page.getByText(`Pack gen-300: ${n} items`)).toBeVisible();
  await review.importFiles(genFiles);
  await expect(page.getByRole('table', { name: 'Per-annotator statistics' }).getByRole('row')).toHaveCount(4);
  await page.getByLabel('Heatmap size').fill('64');
  const file = path.join(dir, 'browser.json');
  await review.exportTo('Export dataset', file);
  const browserText = readFileSync(file, 'utf8');
  const cliText = readFileSync(cliOut, 'utf8');
  expect(browserText).toBe(cliText); // the same bytes, made by the helper workers in parallel
  expect(withoutHeatmaps(browserText)).toBe(withoutHeatmaps(cliText));
  const b = JSON.parse(browserText) as { heatmapWidth: number; items: { artifactHeatmap: string; misalignmentHeatmap: string }[] };
  const c = JSON.parse(cliText) as typeof b;
  expect(b.heatmapWidth).toBe(64);
  expect(b.items).toHaveLength(n);
  b.items.forEach((item, k) => {
    for (const key of ['artifactHeatmap', 'misalignmentHeatmap'] as const) {
      const x = decodeHeatmapPng(base64ToBytes(item[key])).gray;
      const y = decodeHeatmapPng(base64ToBytes(c.items[k]![key])).gray;
      expect(Buffer.from(x).equals(Buffer.from(y)), `item ${k} ${key}`).toBe(true);
    }
  });
});

test('a lead opens a local pack with its images instead of a URL', async ({ page, review }) => {
  await openReview(review);
  const images = pack.items.map((i) => path.join(ROOT, 'public/demo/images', `${i.id}.png`));
  await page.getByLabel('Open a local pack (its JSON and images)').setInputFiles([path.join(FIX, 'pack.json'), ...images]);
  await expect(page.getByText(`Pack demo: ${pack.items.length} items`)).toBeVisible();
  await review.waitForImportReady();
  // Before any annotation file, an item shows its image and says so.
  await review.openButton(pack.items[0]!.id).click();
  await expect(page.getByText('No annotations for this item yet.')).toBeVisible();
  await expect(page.getByRole('img', { name: `Item ${pack.items[0]!.id}` })).toBeVisible();
  await review.importFiles(FILES);
  await expect(review.importedFiles().getByRole('row')).toHaveCount(4);
  // The open item picks up the new files.
  await expect(page.getByRole('checkbox', { name: 'alice', exact: true })).toBeChecked();
  await expect(page.getByText('No annotations for this item yet.')).toHaveCount(0);
  // Thumbnails come from the picked files (blob: URLs).
  await expect(review.row(pack.items[0]!.id).locator('img')).toHaveAttribute('src', /^blob:/);
  // A pack JSON without its images is refused with the missing image named.
  await page.getByLabel('Open a local pack (its JSON and images)').setInputFiles([path.join(FIX, 'pack.json')]);
  await expect(page.getByRole('alert')).toContainText('pack.json: items[0].image:');
});

test('a local pack opened while the start pack is still loading is not replaced by it', async ({ page }) => {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/demo/pack.json', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/#/review');
  await expect(page.getByText('Loading the task pack…')).toBeVisible();
  const demo = JSON.parse(readFileSync(path.join(ROOT, 'public/demo/pack.json'), 'utf8')) as { items: { image: string }[] };
  const local = { ...demo, name: 'local-demo', items: demo.items.slice(0, 2) };
  await page
    .getByLabel('Open a local pack (its JSON and images)')
    .setInputFiles([
      { name: 'pack.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(local)) },
      ...local.items.map((it) => ({ name: path.basename(it.image), mimeType: 'image/png', buffer: readFileSync(path.join(ROOT, 'public/demo', it.image)) })),
    ]);
  await expect(page.getByText('Pack local-demo: 2 items')).toBeVisible();
  const answered = page.waitForResponse('**/demo/pack.json');
  release();
  await answered;
  // The start pack has been read and checked by the time the page is next idle.
  await page.evaluate(() => new Promise((r) => requestIdleCallback(() => r(null))));
  await expect(page.getByText('Pack local-demo: 2 items')).toBeVisible();
});
