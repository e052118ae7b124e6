/**
 * Issue 11 in the browser: a file with a flood of errors, a file in another encoding and a pack
 * whose paths leave its folder each get a bounded, located list of problems; nothing stored
 * changes; and once a pack is loaded, images load only from the origins it names.
 */
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'fixtures/consolidate');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'richhf-bad-input-e2e-'));

/** An annotation file of `annotator` for the demo pack: 15 records of 10,000 points outside the image (150,000 errors). */
function floodFile(name: string, annotator: string): string {
  const alice = JSON.parse(readFileSync(path.join(FIX, 'alice.json'), 'utf8'));
  const rec = { ...alice.annotations[0], points: Array.from({ length: 10_000 }, () => ({ kind: 'artifact', x: -1, y: 5 })) };
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify({ ...alice, annotator, annotations: Array.from({ length: 15 }, () => rec) }));
  return file;
}

async function startAnnotating(page: Page, annotator: string, query = ''): Promise<void> {
  await page.goto(`/${query}`);
  await page.getByRole('textbox', { name: 'Annotator ID' }).fill(annotator);
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('button', { name: 'Submit' })).toBeVisible();
}

test.describe('the annotator: Import annotations', () => {
  test('a flood of errors: the first 50 in a scrollable list, nothing stored changes', async ({ page }) => {
    await startAnnotating(page, 'alice');
    // Some work first: one item submitted, which the failed import must leave alone.
    for (const scale of ['Plausibility', 'Alignment', 'Aesthetics', 'Overall']) {
      await page.getByRole('radiogroup', { name: scale }).getByRole('radio', { name: '4', exact: true }).check();
    }
    await page.getByRole('button', { name: 'Submit' }).click();
    await expect(page.getByText('1 / 8 done')).toBeVisible();

    await page.getByLabel('Import annotations').setInputFiles(floodFile('flood.json', 'alice'));
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Not imported: flood.json has problems. Nothing was changed.');
    const list = alert.getByRole('list', { name: 'Import problems' });
    await expect(list.getByRole('listitem')).toHaveCount(51);
    await expect(list.getByRole('listitem').first()).toHaveText('flood.json: annotations[0].points[0].x: outside the image (0 to 512)');
    await expect(list.getByRole('listitem').last()).toHaveText('flood.json: … and more problems (checking stopped after the first 50)');
    // The list scrolls inside its box instead of pushing the workspace away.
    const region = page.getByRole('region', { name: 'Import problems' });
    expect(await region.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    expect((await region.boundingBox())!.height).toBeLessThan(300);
    await expect(page.getByText('1 / 8 done')).toBeVisible();

    // Another bad file replaces the list; a UTF-16 file is named as such.
    const utf16 = path.join(tmp, 'utf16.json');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(readFileSync(path.join(FIX, 'alice.json'), 'utf8'), 'utf16le')]));
    await page.getByLabel('Import annotations').setInputFiles(utf16);
    await expect(list.getByRole('listitem')).toHaveText(['utf16.json: the file is UTF-16 LE; save it as UTF-8 (files must be UTF-8)']);

    // Stored work is what it was, after a reload too.
    await page.reload();
    await expect(page.getByRole('button', { name: 'Submit' })).toBeVisible();
    await expect(page.getByText('1 / 8 done')).toBeVisible();
  });

  test('a pack whose image path leaves its folder is refused with the field named', async ({ page }) => {
    const pack = { format: 'richhf-taskpack', version: 1, name: 'escape', items: [{ id: 'a', image: '../../etc/passwd', prompt: 'x' }] };
    await page.route('**/packs/escape.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(pack) }));
    await page.goto('/?pack=packs/escape.json');
    await expect(page.getByRole('alert')).toContainText("escape.json: items[0].image: goes outside the pack's folder");
  });

  test('a pack that is not JSON, or not UTF-8, is refused with the place named (the byte scanner, a chunk loaded then)', async ({ page }) => {
    const broken = '{\n  "format": "richhf-taskpack",\n  "version": 1,\n  "name": "broken"\n  "items": []\n}\n';
    await page.route('**/packs/broken.json', (route) => route.fulfill({ contentType: 'application/json', body: broken }));
    await page.goto('/?pack=packs/broken.json');
    await expect(page.getByRole('alert')).toContainText('broken.json: invalid JSON: line 5, column 3');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ format: 'richhf-taskpack', version: 1, name: 'wide', items: [] }), 'utf16le')]);
    await page.route('**/packs/wide.json', (route) => route.fulfill({ contentType: 'application/json', body: utf16 }));
    await page.goto('/?pack=packs/wide.json');
    await expect(page.getByRole('alert')).toContainText('wide.json: the file is UTF-16 LE; save it as UTF-8 (files must be UTF-8)');
  });

  test('a pack of both kinds opens on the annotator page (its rating items first) and on the review page (its rated items and its pairs)', async ({ page }) => {
    const pack = {
      format: 'richhf-taskpack',
      version: 2,
      name: 'mixed',
      items: [
        { id: 'a', image: 'a.png', prompt: 'x' },
        { id: 'c', kind: 'compare', prompt: 'x', images: [{ image: 'a.png' }, { image: 'b.png' }] },
      ],
    };
    await page.route('**/packs/mixed.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(pack) }));
    await page.goto('/?pack=packs/mixed.json&annotator=both');
    await expect(page.getByText('0 / 1 done')).toBeVisible();
    await page.goto('/?pack=packs/mixed.json#/review');
    await expect(page.getByText('Pack mixed: 1 items and 1 pairs, 3 annotators per item.')).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Comparison files' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });
});

test.describe('the review page: import', () => {
  async function openReview(page: Page): Promise<void> {
    await page.route('**/__bad__/**', async (route) => {
      const rel = new URL(route.request().url()).pathname.replace(/^.*\/__bad__\//, '');
      const file = rel.startsWith('images/') ? path.join(ROOT, 'public/demo', rel) : path.join(FIX, rel);
      await route.fulfill({ body: readFileSync(file), contentType: file.endsWith('.json') ? 'application/json' : 'image/png' });
    });
    await page.goto(`/?pack=${encodeURIComponent('/__bad__/pack.json')}#/review`);
    await expect(page.getByLabel('Annotation files')).toBeEnabled();
  }

  test('a flood of errors: the first 50 listed, the good files kept; the next import replaces the message', async ({ page }) => {
    await openReview(page);
    await page.getByLabel('Annotation files').setInputFiles([path.join(FIX, 'bob.json'), floodFile('flood.json', 'alice')]);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('flood.json was rejected');
    const list = alert.getByRole('list', { name: 'Problems in flood.json' });
    await expect(list.getByRole('listitem')).toHaveCount(51);
    await expect(list.getByRole('listitem').first()).toHaveText('flood.json: annotations[0].points[0].x: outside the image (0 to 512)');
    await expect(list.getByRole('listitem').last()).toHaveText('flood.json: … and more problems (checking stopped after the first 50)');
    const region = page.getByRole('region', { name: 'Problems in flood.json' });
    expect(await region.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    const imported = page.getByRole('table', { name: 'Imported files' });
    await expect(imported.getByRole('row')).toHaveCount(2);
    await expect(imported.getByRole('cell', { name: 'bob', exact: true })).toBeVisible();

    // A file with a BOM is fine; the flood's message goes.
    const bom = path.join(tmp, 'carol.json');
    writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), readFileSync(path.join(FIX, 'carol.json'))]));
    await page.getByLabel('Annotation files').setInputFiles(bom);
    await expect(imported.getByRole('row')).toHaveCount(3);
    await expect(page.getByRole('alert')).toHaveCount(0);

    // After a reload, only the accepted files come back.
    await page.reload();
    await expect(page.getByRole('table', { name: 'Imported files' }).getByRole('row')).toHaveCount(3);
  });
});

test.describe('images only from where the pack says', () => {
  /**
   * Loads an image from `url` in the page: 'loaded', or 'blocked' when the page's policy
   * refuses it (the routes below answer every request, so no other failure is expected).
   */
  function tryImage(page: Page, url: string): Promise<string> {
    return page.evaluate(
      (src) =>
        new Promise<string>((resolve) => {
          const img = new Image();
          document.addEventListener('securitypolicyviolation', (e) => {
            if (e.blockedURI.startsWith(new URL(src).origin)) resolve(`blocked by ${e.effectiveDirective}`);
          });
          img.onload = () => resolve('loaded');
          img.src = src;
        }),
      url,
    );
  }

  test('the demo pack: no image from another origin', async ({ page }) => {
    await page.route('http://elsewhere.test/**', (route) => route.fulfill({ body: readFileSync(path.join(ROOT, 'public/demo/images/0001.png')), contentType: 'image/png' }));
    await startAnnotating(page, 'csp');
    expect(await tryImage(page, 'http://elsewhere.test/x.png')).toBe('blocked by img-src');
  });

  test('a pack with images on another origin: those load, a third origin does not', async ({ page }) => {
    const png = readFileSync(path.join(ROOT, 'public/demo/images/0001.png'));
    for (const host of ['images.test', 'elsewhere.test']) await page.route(`http://${host}/**`, (route) => route.fulfill({ body: png, contentType: 'image/png' }));
    const pack = {
      format: 'richhf-taskpack',
      version: 1,
      name: 'remote',
      items: [{ id: 'r1', image: 'http://images.test/r1.png', prompt: 'a red ball', width: 512, height: 512 }],
    };
    await page.route('**/packs/remote.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(pack) }));
    await startAnnotating(page, 'csp2', '?pack=packs/remote.json');
    expect(await tryImage(page, 'http://images.test/other.png')).toBe('loaded');
    expect(await tryImage(page, 'http://elsewhere.test/x.png')).toBe('blocked by img-src');
  });
});
