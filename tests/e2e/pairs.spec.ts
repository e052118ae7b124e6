import { randomUUID } from 'node:crypto';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, seriousA11yViolations, test, VIEWPORTS } from './fixtures.ts';
import { joinKey } from '../../src/core/compare/blind.ts';
import { planComparison } from '../../src/core/compare/plan.ts';
import { comparisonReport } from '../../src/core/compare/report.ts';
import { formatP } from '../../src/core/compare/tables.ts';
import { simulatedFiles } from '../../scripts/demoCompareAnswers.ts';
import { listening, spawnServe, stopServe } from '../unit/server/serveProcess.ts';
import { LEAD_TOKEN } from './collection.ts';
import { collectResponses } from './responses.ts';
import { demoComparisonFolder } from './comparePack.ts';
import { itemAnswer, leftImage } from '../../src/core/compare/sides.ts';
import { annotationFileSchema } from '../../src/core/formats/annotations.ts';
import { comparisonKeySchema } from '../../src/core/formats/comparisonKey.ts';
import { taskPackSchema } from '../../src/core/formats/taskpack.ts';

/**
 * The pair workspace on the static page (issue 18): an annotator judges the demo's six pairs,
 * three with the keys and three with the mouse, and exports their file; the records carry the
 * side core's draw gives and answers in the item's terms; the report made with the lead's key
 * counts what was clicked; and the page never saw a system name (the key's, kept outside public/).
 */
const root = path.resolve(import.meta.dirname, '../..');
const ANNOTATOR = 'e2e-pairs';
const LABELS = ['Left is much better', 'Left is slightly better', 'About the same', 'Right is slightly better', 'Right is much better'];
/** The answer chosen for each pair, on the screen's scale (-2 = left much better … 2 = right much better). */
const PLAN = [-2, 2, 0, 1, -1, 2];

test('six pairs by keys and mouse: sides recorded, answers in the item terms, counts in the report, no system name seen', async ({ page }) => {
  const pack = taskPackSchema.parse(JSON.parse(await readFile(path.join(root, 'public/demo-compare/pack.json'), 'utf8')));
  const key = comparisonKeySchema.parse(JSON.parse(await readFile(path.join(root, 'fixtures/demo-compare/key.json'), 'utf8')));
  const systems = [...new Set(key.items.flatMap((k) => k.systems))];
  expect(systems.length).toBe(2);

  // Every answer the page received that is data (not the app's own code): bodies, URLs and headers.
  const seen = collectResponses(page);

  await page.goto(`/?pack=demo-compare/pack.json&annotator=${ANNOTATOR}`);
  for (let i = 0; i < 6; i++) {
    await expect(page.getByRole('heading', { name: `Pair ${i + 1} of 6` })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Left image' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Right image' })).toBeVisible();
    await expect(page.getByText(pack.items[i]!.prompt)).toBeVisible();
    const scale = page.getByRole('group', { name: 'Plausibility' });
    const choice = scale.getByRole('radio', { name: LABELS[PLAN[i]! + 2]! });
    if (i < 3) {
      await page.keyboard.press(String(PLAN[i]! + 3));
      await expect(choice).toBeChecked();
      await page.keyboard.press('Enter');
    } else {
      await choice.click();
      await expect(choice).toBeChecked();
      await page.getByRole('button', { name: 'Submit' }).click();
    }
  }
  await expect(page.getByRole('heading', { name: 'All pairs done' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('6 of 6 pairs submitted');

  // Nothing the page shows or holds names a system.
  const dom = await page.evaluate(() => document.documentElement.outerHTML);
  for (const s of systems) expect(dom.includes(s), `the page's DOM names ${s}`).toBe(false);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export annotations' }).click()]);
  const file = annotationFileSchema.parse(JSON.parse(await readFile((await download.path())!, 'utf8')));
  expect(file).toMatchObject({ format: 'richhf-annotations', version: 2, annotator: ANNOTATOR, pack: 'demo-compare' });
  expect(file.annotations.map((r) => r.itemId)).toEqual(pack.items.map((it) => it.id));
  const expected = [0, 0, 0, 0, 0];
  file.annotations.forEach((r, i) => {
    const left = leftImage('demo-compare', ANNOTATOR, i);
    expect(r).toMatchObject({ left, answers: { plausibility: itemAnswer(PLAN[i]!, left) } });
    // The report's pair is (finetuned, original), sorted: mirror the answer when images[0] is "original".
    const answer = itemAnswer(PLAN[i]!, left);
    const x = [...key.items[i]!.systems].sort()[0];
    expected[(key.items[i]!.systems[0] === x ? answer : -answer) + 2]!++;
  });

  const joined = joinKey(pack, key, { pack: 'pack.json', key: 'key.json' });
  if (!joined.ok) throw new Error(JSON.stringify(joined.errors));
  const report = comparisonReport(planComparison(joined.pack, [{ name: 'download.json', file }], 'pack.json'));
  expect(report.results).toHaveLength(1);
  expect(report.results[0]).toMatchObject({ criterion: 'plausibility', systems: [...systems].sort(), n: 6, counts: expected });
  // Left and right choices as clicked: PLAN has 2 left, 3 right, 1 tie.
  expect(report.positionBias).toMatchObject({ leftWins: 2, rightWins: 3, ties: 1 });

  const texts = await Promise.all(seen);
  expect(texts.some((t) => t.includes('demo-compare/pack.json'))).toBe(true);
  for (const t of texts) for (const s of systems) expect(t.includes(s), `a response names ${s}: ${t.slice(0, 200)}`).toBe(false);
});

test("the review page on the comparison pack: the lead's key and six annotators' files give the engine's report", async ({ page }, testInfo) => {
  const pack = taskPackSchema.parse(JSON.parse(await readFile(path.join(root, 'public/demo-compare/pack.json'), 'utf8')));
  const key = comparisonKeySchema.parse(JSON.parse(await readFile(path.join(root, 'fixtures/demo-compare/key.json'), 'utf8')));
  const joined = joinKey(pack, key, { pack: 'pack.json', key: 'key.json' });
  if (!joined.ok) throw new Error(JSON.stringify(joined.errors));
  const files = simulatedFiles(joined.pack, 'finetuned');
  const paths = await Promise.all(
    files.map(async (f) => {
      const p = testInfo.outputPath(`${f.annotator}.json`);
      await writeFile(p, JSON.stringify(f));
      return p;
    }),
  );
  const expected = comparisonReport(
    planComparison(
      joined.pack,
      files.map((file, i) => ({ name: `${i}.json`, file })),
      'pack.json',
    ),
  );

  await page.goto('/#/review?pack=demo-compare/pack.json');
  await expect(page.getByText('Comparison pack demo-compare: 6 pairs')).toBeVisible();
  await page.getByLabel('Import annotations').setInputFiles(paths);
  // The annotators' pack names no systems: nothing to report until the key comes.
  await expect(page.getByRole('alert')).toContainText('import the comparison key');
  await page.getByLabel('Import comparison key').setInputFiles(path.join(root, 'fixtures/demo-compare/key.json'));
  const table = page.getByRole('table', { name: 'Answers per criterion and pair of systems' });
  await expect(table).toBeVisible();
  const r = expected.results[0]!;
  const row = table.getByRole('row', { name: /plausibility/ });
  await expect(row.getByRole('cell')).toHaveText([
    ...r.systems,
    ...r.percent.map((p) => `${p.toFixed(1)}%`),
    String(r.n),
    `${r.winRate!.toFixed(2)} (${r.winRateCI95![0].toFixed(2)}–${r.winRateCI95![1].toFixed(2)})`,
    formatP(r.signTestP),
  ]);
  const b = expected.positionBias;
  await expect(page.getByRole('note')).toHaveText(`Position: the left image chosen ${b.leftWins} times, the right ${b.rightWins} (${b.ties} ties), p = ${formatP(b.p)}.`);
  const sides = page.getByRole('table', { name: 'Sides chosen per annotator' });
  await expect(sides.getByRole('row')).toHaveCount(1 + expected.annotators.length);
  const first = expected.annotators[0]!;
  await expect(sides.getByRole('row', { name: first.id }).getByRole('cell')).toHaveText([String(first.n), String(first.leftWins), String(first.rightWins), String(first.ties)]);

  // Kept in this browser: after a reload the files and the key are there again, and so is the report.
  await page.reload();
  const imported = page.getByRole('table', { name: 'Imported files' });
  const nCell = row.getByRole('cell').nth(r.systems.length + r.percent.length);
  await expect(imported.getByRole('row')).toHaveCount(1 + files.length + 1);
  await expect(nCell).toHaveText(String(r.n));
  // Removing a file takes its answers out of the report, and it stays out after a reload.
  const gone = path.basename(paths[0]!);
  await imported.getByRole('button', { name: `Remove ${gone}` }).click();
  await expect(imported.getByRole('row')).toHaveCount(1 + files.length);
  const fewer = String(r.n - files[0]!.annotations.length);
  await expect(nCell).toHaveText(fewer);
  await page.reload();
  await expect(imported.getByRole('row')).toHaveCount(1 + files.length);
  await expect(imported.getByRole('row', { name: new RegExp(gone) })).toHaveCount(0);
  await expect(nCell).toHaveText(fewer);
});

test("the lead's dashboard on a server collecting comparisons shows the server's report", async ({ page }) => {
  // The lead's pack (systems named) in a folder of its own, with the demo's images.
  const { dir, lead } = await demoComparisonFolder('richhf-e2e-pairs-');
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify({ ...lead, annotatorsPerItem: 2 }));
  const proc = spawnServe(['--pack', path.join(dir, 'pack.json'), '--db', path.join(dir, 'richhf.db'), '--app', path.join(root, 'dist')], { RICHHF_LEAD_TOKEN: LEAD_TOKEN });
  try {
    const url = await listening(proc);
    const invites = await fetch(`${url}/api/v1/invites`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${LEAD_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ annotators: ['ann'] }),
    });
    const token = ((await invites.json()) as { invites: { token: string }[] }).invites[0]!.token;
    for (let i = 0; i < 6; i++) {
      const { item } = (await (await fetch(`${url}/api/v1/next`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { item: { id: string; left: 0 | 1 } };
      const record = {
        itemId: item.id,
        left: item.left,
        answers: { plausibility: itemAnswer(PLAN[i]!, item.left) },
        submittedAt: '2026-12-01T10:00:00.000Z',
        activeMs: 1000,
        clientId: randomUUID(),
      };
      const sent = await fetch(`${url}/api/v1/submissions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(record),
      });
      expect(sent.status).toBe(200);
    }
    const report = (await (await fetch(`${url}/api/v1/export/comparison`, { headers: { Authorization: `Bearer ${LEAD_TOKEN}` } })).json()) as ReturnType<typeof comparisonReport>;
    expect(report.results[0]!.n).toBe(6);

    await page.goto(`${url}/?lead=${LEAD_TOKEN}#/review`);
    const table = page.getByRole('table', { name: 'Answers per criterion and pair of systems' });
    const r = report.results[0]!;
    await expect(table.getByRole('row', { name: /plausibility/ }).getByRole('cell')).toHaveText([
      ...r.systems,
      ...r.percent.map((p) => `${p.toFixed(1)}%`),
      String(r.n),
      `${r.winRate!.toFixed(2)} (${r.winRateCI95![0].toFixed(2)}–${r.winRateCI95![1].toFixed(2)})`,
      formatP(r.signTestP),
    ]);
    await expect(page.getByRole('note')).toContainText(`the left image chosen ${report.positionBias.leftWins} times, the right ${report.positionBias.rightWins}`);
  } finally {
    await stopServe(proc);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a comparison pack opened from disk opens the pair workspace', async ({ page }) => {
  const pack = taskPackSchema.parse(JSON.parse(await readFile(path.join(root, 'public/demo-compare/pack.json'), 'utf8')));
  const images = pack.items.flatMap((it) => ('images' in it ? it.images.map((im) => path.join(root, 'public/demo-compare', im.image)) : []));
  await page.goto('/');
  await page.getByLabel('Open pack files').setInputFiles([path.join(root, 'public/demo-compare/pack.json'), ...images]);
  await expect(page.getByText('Comparison pack demo-compare: 6 pairs')).toBeVisible();
  await page.getByRole('textbox', { name: 'Annotator ID' }).fill('from-disk');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { name: 'Pair 1 of 6' })).toBeVisible();
  // The image from the chosen file, decoded (an image without its source yet is "complete" too).
  await expect.poll(() => page.getByRole('img', { name: 'Left image' }).evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(512);
});

/**
 * A pack of both kinds in a new folder (remove it after): the demo's first two rating items (as
 * r1 and r2) between the demo comparison's first two pairs, and the files to open it from disk.
 */
async function mixedFolder(prefix: string) {
  const { dir, pack: pairPack } = await demoComparisonFolder(prefix);
  const demo = taskPackSchema.parse(JSON.parse(await readFile(path.join(root, 'public/demo/pack.json'), 'utf8')));
  const rating = demo.items.slice(0, 2).flatMap((it, i) => ('image' in it ? [{ ...it, id: `r${i + 1}` }] : []));
  for (const it of rating) copyFileSync(path.join(root, 'public/demo', it.image), path.join(dir, it.image));
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify({ ...pairPack, name: 'mixed', items: [rating[0]!, pairPack.items[0]!, rating[1]!, pairPack.items[1]!] }));
  const files = [
    path.join(dir, 'pack.json'),
    ...rating.map((it) => path.join(dir, it.image)),
    ...pairPack.items.slice(0, 2).flatMap((it) => ('images' in it ? it.images.map((im) => path.join(dir, im.image)) : [])),
  ];
  return { dir, pairPack, files };
}

test('a pack of both kinds opened from disk: its items are rated, then its pairs judged by keys, and Export holds both kinds', async ({ page, workspace }) => {
  const { dir, pairPack, files } = await mixedFolder('richhf-e2e-mixed-');
  try {
    await page.goto('/');
    await page.getByLabel('Open pack files').setInputFiles(files);
    await expect(page.getByText('Task pack mixed: 2 items to rate, then 2 pairs to compare.')).toBeVisible();
    await page.getByRole('textbox', { name: 'Annotator ID' }).fill('mixed-user');
    await page.getByRole('button', { name: 'Start' }).click();
    // The rating items first, by keys: four scores (the highlight moves on after each), Enter.
    for (const id of ['r1', 'r2']) {
      await workspace.waitForImage();
      expect((await workspace.state()).itemId).toBe(id);
      for (let k = 0; k < 4; k++) await page.keyboard.press('4');
      await page.keyboard.press('Enter');
    }
    await expect(page.getByRole('heading', { name: 'All 2 items are done' })).toBeVisible();
    await page.getByRole('button', { name: 'Go on to the pairs' }).click();
    for (const n of [1, 2]) {
      await expect(page.getByRole('heading', { name: `Pair ${n} of 2` })).toBeVisible();
      await page.keyboard.press(n === 1 ? '5' : '1');
      await page.keyboard.press('Enter');
    }
    await expect(page.getByRole('heading', { name: 'All pairs done' })).toBeVisible();

    // One file with both kinds, from either end.
    const exported = async () => {
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export annotations' }).click();
      const file = annotationFileSchema.parse(JSON.parse(await readFile((await (await download).path())!, 'utf8')));
      return { annotator: file.annotator, pack: file.pack, items: file.annotations.map((r) => `${r.itemId}:${r.left === undefined ? 'rated' : 'judged'}`).sort() };
    };
    const both = { annotator: 'mixed-user', pack: 'mixed', items: [`${pairPack.items[0]!.id}:judged`, `${pairPack.items[1]!.id}:judged`, 'r1:rated', 'r2:rated'].sort() };
    expect(await exported()).toEqual(both);
    await page.getByRole('button', { name: 'Back to the rated items' }).click();
    await expect(page.getByRole('heading', { name: 'All 2 items are done' })).toBeVisible();
    expect(await exported()).toEqual(both);

    // A reload opens the kept pack on the same work: the pairs are one step away, still judged.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'All 2 items are done' })).toBeVisible();
    await page.getByRole('button', { name: 'Go on to the pairs' }).click();
    await expect(page.getByRole('heading', { name: 'Pair 2 of 2' })).toBeVisible();
    await expect(page.getByText('2 of 2 submitted · this pair is submitted (you may change it)')).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Left is much better' })).toBeChecked();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a pack of both kinds opened from disk: the annotator goes between the rated items and the pairs at any time, and each side keeps its place and its answers', async ({
  page,
  workspace,
}) => {
  const { dir, files } = await mixedFolder('richhf-e2e-mixed-switch-');
  try {
    await page.goto('/');
    await page.getByLabel('Open pack files').setInputFiles(files);
    await page.getByRole('textbox', { name: 'Annotator ID' }).fill('switch-user');
    await page.getByRole('button', { name: 'Start' }).click();
    // r1 rated by keys; the pairs before r2.
    await workspace.waitForImage();
    for (let k = 0; k < 4; k++) await page.keyboard.press('4');
    await page.keyboard.press('Enter');
    await workspace.waitForImage();
    expect((await workspace.state()).itemId).toBe('r2');
    // Either bar, with its one more button, fits a phone and a laptop.
    const fits = async (button: string) => {
      for (const v of [VIEWPORTS[0], VIEWPORTS[1]]) {
        await page.setViewportSize({ width: v.width, height: v.height });
        await expect(page.getByRole('button', { name: button })).toBeInViewport();
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${button}, ${v.name}`).toBe(0);
      }
    };
    await fits('Go to the pairs');
    await page.getByRole('button', { name: 'Go to the pairs' }).click();
    await expect(page.getByRole('heading', { name: 'Pair 1 of 2' })).toBeVisible();
    await fits('Back to the rated items');
    await page.keyboard.press('5');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Pair 2 of 2' })).toBeVisible();
    // Back to the rated items, on the item left: r2, with r1 still submitted.
    await page.getByRole('button', { name: 'Back to the rated items' }).click();
    await workspace.waitForImage();
    expect((await workspace.state()).itemId).toBe('r2');
    for (let k = 0; k < 4; k++) await page.keyboard.press('3');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'All 2 items are done' })).toBeVisible();
    // The pairs again: the first judged is kept, the second is next.
    await page.getByRole('button', { name: 'Go on to the pairs' }).click();
    await expect(page.getByRole('heading', { name: 'Pair 2 of 2' })).toBeVisible();
    await expect(page.getByText('1 of 2 submitted', { exact: true })).toBeVisible();
    await page.getByRole('button', { name: 'Previous pair' }).click();
    await expect(page.getByRole('heading', { name: 'Pair 1 of 2' })).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Right is much better' })).toBeChecked();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the review page on a pack of both kinds opened from disk: one import of the annotators' files gives the rated items' table and the comparison report, kept after a reload", async ({
  page,
}, testInfo) => {
  const { dir, pack: pairPack, key } = await demoComparisonFolder('richhf-e2e-mixed-review-');
  try {
    const demo = taskPackSchema.parse(JSON.parse(await readFile(path.join(root, 'public/demo/pack.json'), 'utf8')));
    const rating = demo.items.slice(0, 2).flatMap((it, i) => ('image' in it ? [{ ...it, id: `r${i + 1}` }] : []));
    for (const it of rating) copyFileSync(path.join(root, 'public/demo', it.image), path.join(dir, it.image));
    const mixed = taskPackSchema.parse({ ...pairPack, name: 'mixed', annotatorsPerItem: 3, items: [rating[0]!, pairPack.items[0]!, rating[1]!, pairPack.items[1]!] });
    writeFileSync(path.join(dir, 'pack.json'), JSON.stringify(mixed));
    const mixedKey = { ...key, pack: 'mixed', items: key.items.filter((k) => mixed.items.some((it) => it.id === k.id)) };
    const keyPath = testInfo.outputPath('key.json');
    await writeFile(keyPath, JSON.stringify(mixedKey));
    const joined = joinKey(mixed, comparisonKeySchema.parse(mixedKey), { pack: 'pack.json', key: 'key.json' });
    if (!joined.ok) throw new Error(JSON.stringify(joined.errors));
    // Each annotator's one file holds both kinds, as the annotator's page exports it.
    const files = simulatedFiles(joined.pack, 'finetuned')
      .slice(0, 3)
      .map((f, a) => ({
        ...f,
        version: 2 as const,
        annotations: [
          ...rating.map((it, i) => ({
            itemId: it.id,
            imageWidth: 512,
            imageHeight: 512,
            points: [{ kind: 'artifact' as const, x: 100 + 50 * a, y: 200 }],
            misalignedTokens: [],
            scores: { plausibility: 2 + a, alignment: 4, aesthetics: 3, overall: 3 + i },
            submittedAt: `2026-12-01T08:0${a}:00Z`,
            activeMs: 5000,
          })),
          ...f.annotations,
        ],
      }));
    const paths = await Promise.all(
      files.map(async (f) => {
        const p = testInfo.outputPath(`${f.annotator}.json`);
        await writeFile(p, JSON.stringify(f));
        return p;
      }),
    );
    const report = (fs: typeof files) =>
      comparisonReport(
        planComparison(
          joined.pack,
          fs.map((file, i) => ({ name: `${i}.json`, file })),
          'pack.json',
        ),
      ).results[0]!;
    const packFiles = [
      path.join(dir, 'pack.json'),
      ...rating.map((it) => path.join(dir, it.image)),
      ...mixed.items.flatMap((it) => ('images' in it ? it.images.map((im) => path.join(dir, im.image)) : [])),
    ];
    const nCell = () =>
      page
        .getByRole('table', { name: 'Answers per criterion and pair of systems' })
        .getByRole('row', { name: /plausibility/ })
        .getByRole('cell')
        .nth(2 + 5);

    await page.goto('/#/review');
    await page.getByLabel('Open a local pack (its JSON and images)').setInputFiles(packFiles);
    await expect(page.getByText('Pack mixed: 2 items and 2 pairs, 3 annotators per item.')).toBeVisible();
    await page.getByLabel('Annotation files').setInputFiles(paths);
    // The rated items: each with its three annotators, as the engine counts them.
    const items = page.getByRole('table', { name: 'Items' });
    for (const id of ['r1', 'r2']) await expect(items.getByRole('button', { name: `Open item ${id}` })).toBeVisible();
    // The pairs: nothing to report until the key comes, then the engine's table from the same files.
    await expect(page.getByRole('alert')).toContainText('import the comparison key');
    await page.getByLabel('Import comparison key').setInputFiles(keyPath);
    await expect(nCell()).toHaveText(String(report(files).n));
    expect(report(files).n).toBe(6);
    // The dataset holds the rated items, each with its three annotators (the pairs are the report's).
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export dataset' }).click()]);
    const dataset = JSON.parse(await readFile((await download.path())!, 'utf8')) as { items: { id: string; annotators: string[] }[] };
    const who = files.map((f) => f.annotator).sort();
    expect(dataset.items.map((it) => [it.id, [...it.annotators].sort()])).toEqual([
      ['r1', who],
      ['r2', who],
    ]);

    // Kept in this browser: after a reload (the pack opened from disk again), the files, the key and both reports are there.
    await page.reload();
    await page.getByLabel('Open a local pack (its JSON and images)').setInputFiles(packFiles);
    for (const id of ['r1', 'r2']) await expect(items.getByRole('button', { name: `Open item ${id}` })).toBeVisible();
    await expect(nCell()).toHaveText('6');
    // Removing an annotator's file takes their answers out of both.
    await page
      .getByRole('table', { name: 'Imported files' })
      .first()
      .getByRole('button', { name: `Remove ${path.basename(paths[0]!)}` })
      .click();
    await expect(nCell()).toHaveText(String(report(files.slice(1)).n));
    expect(report(files.slice(1)).n).toBe(4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the pair workspace: side by side at the same size on a laptop and a desktop, stacked on a phone (left on top); no page-wide scroll sideways; axe-clean', async ({ page }) => {
  for (const v of VIEWPORTS) {
    await page.setViewportSize({ width: v.width, height: v.height });
    await page.goto(`/?pack=demo-compare/pack.json&annotator=layout-${v.name}`);
    const left = page.getByRole('img', { name: 'Left image' });
    const right = page.getByRole('img', { name: 'Right image' });
    await expect(right).toBeVisible();
    const a = (await left.boundingBox())!;
    const b = (await right.boundingBox())!;
    expect([Math.round(a.width), Math.round(a.height)], v.name).toEqual([Math.round(b.width), Math.round(b.height)]);
    if (v.name === 'phone') expect(b.y, 'stacked: the right image under the left').toBeGreaterThanOrEqual(a.y + a.height);
    else {
      expect(Math.round(b.y), 'side by side').toBe(Math.round(a.y));
      expect(b.x).toBeGreaterThan(a.x + a.width);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), v.name).toBe(0);
    expect(await seriousA11yViolations(page), v.name).toEqual([]);
  }
});

test('both images share one zoom and pan: + zooms both, a drag on either pans both, 0 fits them again', async ({ page }) => {
  await page.goto('/?pack=demo-compare/pack.json&annotator=zoom-user');
  const left = page.getByRole('img', { name: 'Left image' });
  const right = page.getByRole('img', { name: 'Right image' });
  await expect(right).toBeVisible();
  const transforms = () => Promise.all([left, right].map((img) => img.evaluate((el) => (el as HTMLElement).style.transform)));
  expect(await transforms()).toEqual(['translate(0%, 0%) scale(1)', 'translate(0%, 0%) scale(1)']);
  // The image's box at fit size: the frame that clips it (a zoomed image's own box is bigger).
  const box = (await right.boundingBox())!;
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  await expect.poll(transforms).toEqual(['translate(0%, 0%) scale(1.5625)', 'translate(0%, 0%) scale(1.5625)']);
  // A drag on the right image, leftwards and up, moves both the same way.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - box.width / 10, box.y + box.height / 2 - box.height / 20, { steps: 4 });
  await page.mouse.up();
  const [a, b] = await transforms();
  expect(a).toBe(b);
  const [, x, y] = /translate\((-?[\d.]+)%, (-?[\d.]+)%\)/.exec(a!)!;
  expect(Number(x)).toBeCloseTo(-10, 0);
  expect(Number(y)).toBeCloseTo(-5, 0);
  await page.getByRole('button', { name: 'Fit' }).click();
  expect(await transforms()).toEqual(['translate(0%, 0%) scale(1)', 'translate(0%, 0%) scale(1)']);
  // The answers' keys still work on a zoomed view, and a new pair starts fitted.
  await page.keyboard.press('+');
  await page.keyboard.press('3');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Pair 2 of 6' })).toBeVisible();
  expect(await transforms()).toEqual(['translate(0%, 0%) scale(1)', 'translate(0%, 0%) scale(1)']);
});
