/**
 * Annotator quality on the review page, as a lead uses it: import the simulated crowd's files
 * (tests/helpers/simulatedCrowd.ts, seed 1: 300 items, 30 of them gold; 16 careful, 3 random
 * and 2 constant annotators), read the per-annotator table and its flags (the same report as
 * the core and `richhf quality`), sort it, open an annotator's items in the item view (a gold
 * item with its reference among them), and move a threshold.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, seriousA11yViolations, test } from './fixtures.ts';
import { planConsolidation } from '../../src/core/dataset/plan.ts';
import { qualityItemsFromPlan, qualityReport } from '../../src/core/quality/qualityReport.ts';
import { sortAnnotators } from '../../src/features/review/qualityRows.ts';
import { fileCrowd } from '../helpers/simulatedCrowd.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-quality-e2e-'));
const crowd = fileCrowd({ seed: 1 });
// The demo pack's images, one of each item's size.
const DEMO_IMAGE: Record<string, string> = { '512x512': 'images/0001.png', '768x512': 'images/0005.png', '512x768': 'images/0006.png' };
const pack = { ...crowd.pack, items: crowd.pack.items.map((item) => ({ ...item, image: DEMO_IMAGE[`${item.width}x${item.height}`]! })) };
const FILES = crowd.files.map((f) => {
  const file = path.join(tmp, f.name);
  writeFileSync(file, JSON.stringify(f.file));
  return file;
});
const report = qualityReport({ items: qualityItemsFromPlan(crowd.pack, planConsolidation({ pack: crowd.pack, files: crowd.files, minAnnotators: 1 })) });
const PACK_URL = '/__fixtures__/quality/pack.json';

test('a lead reads the annotator quality table, sorts it, opens an annotator’s items and moves a threshold', async ({ page, review }) => {
  test.setTimeout(120_000);
  await page.route('**/__fixtures__/quality/**', async (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^.*\/__fixtures__\/quality\//, '');
    if (rel === 'pack.json') return route.fulfill({ body: JSON.stringify(pack), contentType: 'application/json' });
    if (/^images\/000[156]\.png$/.test(rel)) return route.fulfill({ path: path.join(ROOT, 'public/demo', rel), contentType: 'image/png' });
    return route.fulfill({ status: 404 });
  });
  await review.open(`?pack=${encodeURIComponent(PACK_URL)}`);
  await review.importFiles(FILES);

  // One row per annotator; the flags name the 5 unreliable annotators, with their evidence.
  const table = page.getByRole('table', { name: 'Annotator quality' });
  await expect(table.getByRole('row')).toHaveCount(22);
  await expect(page.getByText('21 annotators, 5 flagged.')).toBeVisible();
  const unreliable = crowd.members.filter((m) => m.behaviour !== 'careful').map((m) => m.id);
  for (const a of report.annotators) {
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: a.id, exact: true }) });
    expect(a.flags.length > 0).toBe(unreliable.includes(a.id));
    for (const f of a.flags) await expect(row).toContainText(`${f.code}: ${f.message}`);
    if (a.flags.length === 0) await expect(row).toContainText('none');
    await expect(row).toContainText(`${a.gold.score!.toFixed(2)}`);
  }

  // Sorting: by gold score, lowest first, then highest first.
  await table.getByRole('button', { name: 'Gold score' }).click();
  await expect(table.getByRole('columnheader', { name: /Gold score/ })).toHaveAttribute('aria-sort', 'ascending');
  const ascending = sortAnnotators(report.annotators, 'goldScore', false).map((a) => a.id);
  await expect(table.getByRole('rowheader')).toHaveText(ascending);
  await table.getByRole('button', { name: 'Gold score' }).click();
  await expect(table.getByRole('rowheader')).toHaveText(sortAnnotators(report.annotators, 'goldScore', true).map((a) => a.id));

  // Opening an annotator's items: the item table shows exactly their items, the first one opens.
  const who = crowd.members.find((m) => m.behaviour === 'careful')!.id;
  const theirs = crowd.files.find((f) => f.file.annotator === who)!.file.annotations.map((r) => r.itemId);
  const order = new Map(crowd.pack.items.map((item, i) => [item.id, i]));
  const inPackOrder = [...theirs].sort((a, b) => order.get(a)! - order.get(b)!);
  await page.getByRole('button', { name: `Open the items of ${who}` }).click();
  await expect(page.getByText(`${theirs.length} of 300 items shown: the items of ${who}`)).toBeVisible();
  await expect(page.getByRole('heading', { name: `Item ${inPackOrder[0]}` })).toBeVisible();
  await expect(page.locator(`g[data-annotator="${who}"]`)).toHaveCount(1);
  await expect(page.getByRole('combobox', { name: 'Annotator', exact: true })).toHaveValue(who);

  // A gold item among them: marked in the table, and its view shows the reference beside the answers.
  const goldId = inPackOrder.find((id) => crowd.pack.items[order.get(id)!]!.gold)!;
  const gold = crowd.pack.items[order.get(goldId)!]!.gold!;
  await expect(review.row(goldId)).toContainText('Gold item');
  await review.openItem(goldId);
  await expect(page.getByText(/^Gold item: its answers are compared with the reference/)).toBeVisible();
  await expect(page.locator('g[data-reference] circle')).toHaveCount(gold.points!.length);
  await expect(page.getByRole('rowheader', { name: 'Reference' })).toBeVisible();
  if (gold.points!.length > 0) {
    await page.getByRole('checkbox', { name: 'Reference discs' }).uncheck();
    await expect(page.locator('g[data-reference]')).toHaveCount(0);
  }
  expect(await seriousA11yViolations(page)).toEqual([]);

  // Back to everyone's items; a stricter gold threshold flags more annotators (the figures stay).
  await page.getByRole('combobox', { name: 'Annotator', exact: true }).selectOption('');
  await expect(page.getByText('300 of 300 items shown', { exact: true })).toBeVisible();
  await page.getByText('Flag thresholds').click();
  await page.getByLabel('Gold score below').fill('0.8');
  const strict = report.annotators.filter((a) => a.flags.length > 0 || a.gold.score! < 0.8).length;
  await expect(page.getByText(`21 annotators, ${strict} flagged.`)).toBeVisible();
  await page.getByRole('button', { name: 'Default thresholds' }).click();
  await expect(page.getByText('21 annotators, 5 flagged.')).toBeVisible();
});
