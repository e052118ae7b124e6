/**
 * The review page's Parquet download (issue 19): the lead opens the demo pack (by its URL, then
 * from files picked on disk) with the three golden annotator files, downloads the dataset with
 * its images, and the ZIP holds exactly what `richhf consolidate --parquet DIR` writes from the
 * same inputs, byte for byte, in the server's ZIP layout. An image that cannot be read stops the
 * download with a message naming the item, and nothing is offered.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { ZipStream } from '../../src/core/encode/zipStream.ts';
import { expect, seriousA11yViolations, test, type ReviewPage } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DEMO = path.join(ROOT, 'public/demo');
const FILES = ['alice', 'bob', 'carol'].map((a) => path.join(ROOT, 'fixtures/consolidate', `${a}.json`));
const BUTTON = 'Download the dataset with its images (Parquet)';
const demo = JSON.parse(readFileSync(path.join(DEMO, 'pack.json'), 'utf8')) as { items: { id: string; image: string }[] };

const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-review-parquet-e2e-'));

/** `richhf consolidate --parquet` on the demo pack and the golden files: each file of DIR by its path in DIR, and the ids of the items written. */
function cliParquet(): { files: Map<string, Buffer>; ids: string[] } {
  const dir = mkdtempSync(path.join(tmp, 'cli-'));
  const hf = path.join(dir, 'hf');
  execFileSync(
    process.execPath,
    [path.join(ROOT, 'bin/richhf.mjs'), 'consolidate', '--pack', path.join(DEMO, 'pack.json'), '--out', path.join(dir, 'dataset.json'), '--parquet', hf, ...FILES],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
  const ids = (JSON.parse(readFileSync(path.join(dir, 'dataset.json'), 'utf8')) as { items: { id: string }[] }).items.map((i) => i.id);
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(hf, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(path.relative(hf, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'), readFileSync(path.join(entry.parentPath, entry.name)));
  }
  return { files, ids };
}

/** Clicks the Parquet button and returns the ZIP, its entries in their order, and the suggested file name. */
async function downloadParquet(page: Page): Promise<{ name: string; zip: Buffer; entries: [string, Buffer][] }> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: BUTTON }).click();
  const d = await download;
  const zip = readFileSync((await d.path())!);
  return { name: d.suggestedFilename(), zip, entries: Object.entries(unzipSync(zip)).map(([k, v]) => [k, Buffer.from(v)]) };
}

/** The server's ZIP of these files (src/server/exportParquet.ts writes its entries with ZipStream, in this order). */
async function serverZip(entries: readonly (readonly [string, Buffer])[]): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  const zip = new ZipStream((bytes) => void parts.push(bytes));
  for (const [name, bytes] of entries) await zip.file(name, new Uint8Array(bytes));
  await zip.finish();
  return Buffer.concat(parts);
}

function expectSameFiles(entries: [string, Buffer][], cli: Map<string, Buffer>): void {
  // The server's layout: the shards in split and shard order, then the card.
  expect(entries.map(([name]) => name)).toEqual(['data/train-00000-of-00001.parquet', 'README.md']);
  expect(new Set(cli.keys())).toEqual(new Set(entries.map(([name]) => name)));
  for (const [name, bytes] of entries) expect(bytes.equals(cli.get(name)!), `${name}: the bytes of consolidate --parquet`).toBe(true);
}

async function importGolden(review: ReviewPage): Promise<void> {
  await review.importFiles(FILES);
  await expect(review.importedFiles().getByRole('row')).toHaveCount(4);
}

test('a lead downloads the dataset with its images as Parquet, the files consolidate --parquet writes', async ({ page, review }) => {
  // The Parquet writer's chunk is fetched (by the review worker) only once the button is used.
  const chunks: string[] = [];
  page.on('request', (r) => {
    if (/\/parquetZip-[\w-]+\.js$/.test(new URL(r.url()).pathname)) chunks.push(r.url());
  });
  await review.open();
  await expect(page.getByText(`Pack demo: ${demo.items.length} items`)).toBeVisible();
  await importGolden(review);
  const cli = cliParquet();
  expect(chunks).toEqual([]);
  const { name, zip, entries } = await downloadParquet(page);
  expect(name).toBe('demo-parquet.zip');
  expectSameFiles(entries, cli.files);
  expect(chunks).toHaveLength(1);
  // The whole ZIP is the one the server's export makes of the same files, byte for byte.
  expect(zip.equals(await serverZip(['data/train-00000-of-00001.parquet', 'README.md'].map((n) => [n, cli.files.get(n)!] as const)))).toBe(true);
  // The shard carries the pack's image files themselves (the dataset's items: one has too few annotators).
  const shard = entries[0]![1];
  const written = demo.items.filter((i) => cli.ids.includes(i.id));
  expect(written.length).toBeGreaterThan(0);
  for (const item of written) expect(shard.includes(readFileSync(path.join(DEMO, item.image))), `image of ${item.id}`).toBe(true);
  await expect(page.getByRole('status').filter({ hasText: 'Exported demo-parquet.zip' })).toBeVisible();
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test('the Parquet download of a pack opened from disk reads the picked images', async ({ page, review }) => {
  await review.open();
  const images = demo.items.map((i) => path.join(DEMO, i.image));
  await page.getByLabel('Open a local pack (its JSON and images)').setInputFiles([path.join(DEMO, 'pack.json'), ...images]);
  await expect(review.row(demo.items[0]!.id).locator('img')).toHaveAttribute('src', /^blob:/);
  await review.waitForImportReady();
  await importGolden(review);
  expectSameFiles((await downloadParquet(page)).entries, cliParquet().files);
});

test('an image that cannot be read stops the Parquet download with the item named, and nothing is offered', async ({ page, review }) => {
  const missing = demo.items[2]!;
  await page.route(`**/demo/${missing.image}`, (route) => route.fulfill({ status: 404 }));
  await review.open();
  await importGolden(review);
  let downloads = 0;
  page.on('download', () => downloads++);
  await page.getByRole('button', { name: BUTTON }).click();
  await expect(page.getByRole('alert')).toHaveText(
    `The Parquet files were not made, nothing to download: item "${missing.id}": image ${JSON.stringify(missing.image)}: could not be read: the server answered 404`,
  );
  // The buttons are back (the export is over) and no download was started.
  await expect(page.getByRole('button', { name: BUTTON })).toBeEnabled();
  expect(downloads).toBe(0);
  // Once the image is there again, the same button gives the files.
  await page.unroute(`**/demo/${missing.image}`);
  expectSameFiles((await downloadParquet(page)).entries, cliParquet().files);
  expect(downloads).toBe(1);
});
