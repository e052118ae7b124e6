import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { expect, seriousA11yViolations, test, Workspace } from './fixtures.ts';

test('a new annotator labels an item with points, words and scores, then submits', async ({ page, workspace: ws }) => {
  await ws.start('alice');
  await expect(page.getByText('0 / 8 done')).toBeVisible();
  expect((await ws.state()).itemId).toBe('0001');

  // Artifact is the default tool; place one artifact point.
  await expect(page.getByRole('button', { name: 'Artifact' })).toHaveAttribute('aria-pressed', 'true');
  await ws.clickImage(100, 120);
  // Switch to misalignment with the toggle button and place two points.
  await page.getByRole('button', { name: 'Misalignment' }).click();
  await expect(page.getByRole('button', { name: 'Misalignment' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('button', { name: 'Artifact' })).toHaveAttribute('aria-pressed', 'false');
  await ws.clickImage(300, 300);
  await ws.clickImage(420, 80);
  let s = await ws.state();
  expect(s.points.map((p) => p.kind)).toEqual(['artifact', 'misalignment', 'misalignment']);
  expect(s.points[0]!.x).toBeCloseTo(100, 0);
  expect(s.points[0]!.y).toBeCloseTo(120, 0);

  // Drag the first misalignment point to a new place.
  await ws.dragImage([300, 300], [350, 260]);
  s = await ws.state();
  expect(s.points).toHaveLength(3);
  expect(s.points[1]!.x).toBeCloseTo(350, 0);
  expect(s.points[1]!.y).toBeCloseTo(260, 0);

  // Select the last point by clicking inside its disc (not its centre) and delete it.
  await ws.clickImage(430, 85);
  await page.keyboard.press('Delete');
  s = await ws.state();
  expect(s.points).toHaveLength(2);

  // Undo brings it back, redo deletes it again; undo also reverts the drag.
  await page.keyboard.press('Control+z');
  expect((await ws.state()).points).toHaveLength(3);
  await page.keyboard.press('Control+Shift+z');
  expect((await ws.state()).points).toHaveLength(2);
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+z');
  expect((await ws.state()).points[1]!.x).toBeCloseTo(300, 0);
  await page.keyboard.press('Control+Shift+z');
  await page.keyboard.press('Control+Shift+z');
  expect((await ws.state()).points.map((p) => Math.round(p.x))).toEqual([100, 350]);

  // Mark the misaligned words: the image shows two blue balls.
  await ws.token('three').click();
  await ws.token('red').click();
  await expect(ws.token('three')).toHaveAttribute('aria-pressed', 'true');
  await expect(ws.token('balls')).toHaveAttribute('aria-pressed', 'false');

  // Scores: the Submit button waits for all four.
  const submit = page.getByRole('button', { name: 'Submit' });
  await ws.score('Plausibility', 4);
  await ws.score('Alignment', 5);
  await expect(page.getByText('Some words are marked misaligned, but Alignment is 5')).toBeVisible();
  await ws.score('Alignment', 2);
  await expect(page.getByText('Some words are marked misaligned')).toHaveCount(0);
  await expect(submit).toBeDisabled();
  await ws.score('Aesthetics', 3);
  await ws.score('Overall', 3);
  // Undo works on scores and words too.
  await page.keyboard.press('Control+z');
  await expect(page.getByRole('radiogroup', { name: 'Overall' }).getByRole('radio', { name: '3', exact: true })).not.toBeChecked();
  await expect(submit).toBeDisabled();
  await page.keyboard.press('Control+Shift+z');
  await expect(submit).toBeEnabled();
  await submit.click();

  // The next unfinished item shows at once; the first is counted done.
  await expect(page.getByText('1 / 8 done')).toBeVisible();
  await expect.poll(async () => (await ws.state()).itemId).toBe('0002');
  expect((await ws.state()).points).toEqual([]);

  // Going back shows the submitted work for revision.
  await page.getByRole('button', { name: 'Previous item' }).click();
  s = await ws.state();
  expect(s.itemId).toBe('0001');
  expect(s.misalignedTokens).toEqual([0, 1]);
  expect(s.scores).toEqual({ plausibility: 4, alignment: 2, aesthetics: 3, overall: 3 });
});

test('zooming and panning keep points on the image content; a click maps to the same image pixel at any zoom', async ({ page, workspace: ws }) => {
  await ws.start('zoe');
  await ws.clickImage(256, 256);
  const before = await ws.state();
  // Zoom in with the keyboard and the wheel.
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const c = await ws.toClient(200, 180);
  await page.mouse.move(c.x, c.y);
  await page.mouse.wheel(0, -300);
  const after = await ws.state();
  expect(after.viewport!.scale).toBeGreaterThan(before.viewport!.scale * 1.5);
  // The stored point did not move in image pixels.
  expect(after.points[0]).toEqual(before.points[0]);
  // A click on image pixel (200, 180) at this zoom stores (200, 180).
  await ws.clickImage(200, 180);
  const p = (await ws.state()).points[1]!;
  expect(p.x).toBeCloseTo(200, 0);
  expect(p.y).toBeCloseTo(180, 0);
  // The first point's disc is hit-tested in image pixels: a click 20 image px off its centre
  // (inside the 25.6 px radius) selects it instead of placing a new point.
  await ws.clickImage(256 + 20, 256);
  const s = await ws.state();
  expect(s.points).toHaveLength(2);
  expect(s.selectedId).not.toBeNull();
  // Fit brings the whole image back.
  await page.getByRole('button', { name: 'Fit' }).click();
  expect((await ws.state()).viewport!.scale).toBeCloseTo(before.viewport!.scale, 5);
});

test('a keyboard-only annotator scores all four scales and submits', async ({ page, workspace: ws }) => {
  await ws.start('kim');
  await page.keyboard.press('m');
  await expect(page.getByRole('button', { name: 'Misalignment' })).toHaveAttribute('aria-pressed', 'true');
  for (const k of ['4', '2', '5', '3']) await page.keyboard.press(k);
  expect((await ws.state()).scores).toEqual({ plausibility: 4, alignment: 2, aesthetics: 5, overall: 3 });
  await page.keyboard.press('Enter');
  await expect(page.getByText('1 / 8 done')).toBeVisible();
  expect((await ws.state()).itemId).toBe('0002');
});

test('reloading mid-item restores exactly the unfinished work', async ({ page, workspace: ws }) => {
  await ws.start('rita');
  await page.getByRole('button', { name: 'Next item' }).click();
  await ws.clickImage(50, 60);
  await page.keyboard.press('m');
  await ws.clickImage(70, 400);
  await ws.token('yellow').click();
  await ws.score('Plausibility', 2);
  await ws.score('Alignment', 1);
  await page.getByRole('button', { name: 'Zoom in' }).click();
  // The arrows move the keyboard cursor (the focus is on the button: they are global there) and the view follows it: a pan.
  for (let i = 0; i < 12; i++) await page.keyboard.press('Shift+ArrowRight');
  const before = await ws.state();
  await ws.whenSaved(); // includes the zoom and pan, whose write waits for them to settle
  await page.reload();
  await ws.waitForImage();
  const after = await ws.state();
  expect(after.itemId).toBe('0002');
  expect(after.points).toEqual(before.points);
  expect(after.misalignedTokens).toEqual(before.misalignedTokens);
  expect(after.scores).toEqual({ plausibility: 2, alignment: 1 });
  expect(after.viewport).toEqual(before.viewport);
  await expect(page.getByRole('button', { name: 'Misalignment' })).toHaveAttribute('aria-pressed', 'true');
  // No identification needed again in this browser.
  await expect(page.getByRole('textbox', { name: 'Annotator ID' })).toHaveCount(0);
});

test('the exported file holds the submitted work and restores it in a fresh browser profile', async ({ page, browser, workspace: ws }) => {
  await ws.start('erin');
  await ws.clickImage(128, 64);
  await ws.token('red').click();
  for (const k of ['3', '2', '4', '3']) await page.keyboard.press(k);
  // Focus is on the word button just clicked, where Enter toggles the word: Ctrl+Enter submits from anywhere.
  await page.keyboard.press('Control+Enter');
  await expect(page.getByText('1 / 8 done')).toBeVisible();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export annotations' }).click()]);
  const file = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(file).toMatchObject({ format: 'richhf-annotations', version: 1, annotator: 'erin', pack: 'demo' });
  expect(file.annotations).toHaveLength(1);
  const rec = file.annotations[0];
  expect(rec).toMatchObject({ itemId: '0001', imageWidth: 512, imageHeight: 512, misalignedTokens: [1], scores: { plausibility: 3, alignment: 2, aesthetics: 4, overall: 3 } });
  expect(rec.points).toHaveLength(1);
  expect(rec.points[0].kind).toBe('artifact');
  expect(rec.points[0].x).toBeCloseTo(128, 0);
  expect(rec.points[0].y).toBeCloseTo(64, 0);
  expect(Number.isNaN(Date.parse(rec.submittedAt))).toBe(false);
  expect(rec.activeMs).toBeGreaterThan(0);

  // A fresh profile: import the file and find the same work.
  const ctx = await browser.newContext();
  const page2 = await ctx.newPage();
  const ws2 = new Workspace(page2);
  await ws2.start('erin');
  await expect(page2.getByText('0 / 8 done')).toBeVisible();
  await page2.getByLabel('Import annotations').setInputFiles((await download.path())!);
  await expect(page2.getByText('1 / 8 done')).toBeVisible();
  await expect(page2.getByRole('button', { name: 'Previous item' })).toBeDisabled();
  const s = await ws2.state();
  expect(s.itemId).toBe('0001');
  expect(s.points.map((p) => [p.kind, Math.round(p.x), Math.round(p.y)])).toEqual([['artifact', 128, 64]]);
  expect(s.scores).toEqual(rec.scores);
  await ctx.close();
});

test('a second tab on the same work is told, and can take over without silent overwrites', async ({ page, context, workspace: ws }) => {
  await ws.start('tess');
  const page2 = await context.newPage();
  await page2.goto('/');
  await expect(page2.getByRole('heading', { name: 'This work is open in another tab' })).toBeVisible();
  await page2.getByRole('button', { name: 'Use this tab instead' }).click();
  await expect(page2.getByRole('button', { name: 'Submit' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'This work was opened in another tab' })).toBeVisible();
});

test('a broken pack gets located errors', async ({ page }) => {
  const bad = {
    format: 'richhf-taskpack',
    version: 1,
    name: 'bad',
    items: [
      { id: 'a', image: 'a.png', prompt: 'x' },
      { id: 'a', image: 'javascript:alert(1)' },
    ],
  };
  await page.route('**/packs/bad.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(bad) }));
  await page.goto('/?pack=packs/bad.json');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('bad.json: items[1].image: must be an http(s) URL');
  await expect(alert).toContainText('bad.json: items[1].prompt: required');
  // Duplicate ids are checked once every item is well-formed.
  const dup = { ...bad, items: [bad.items[0], { id: 'a', image: 'b.png', prompt: 'y' }] };
  await page.route('**/packs/dup.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(dup) }));
  await page.goto('/?pack=packs/dup.json');
  await expect(page.getByRole('alert')).toContainText('dup.json: items[1].id: duplicate id "a" (first used by items[0])');
  await page.route('**/packs/notjson.json', (route) => route.fulfill({ contentType: 'application/json', body: '{"format": ' }));
  await page.goto('/?pack=packs/notjson.json');
  await expect(page.getByRole('alert')).toContainText('notjson.json: invalid JSON');
});

test('prompts and ids are shown as text, never as HTML', async ({ page, baseURL, workspace: ws }) => {
  const pack = {
    format: 'richhf-taskpack',
    version: 1,
    name: 'xss',
    items: [{ id: '<b>id</b>', image: `${baseURL}/demo/images/0001.png`, prompt: '<img src=x onerror="window.__pwned=1"> a cat', width: 512, height: 512 }],
  };
  await page.route('**/packs/xss.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(pack) }));
  await ws.start('<i>mallory</i>', '?pack=packs/xss.json');
  await expect(page.getByText('<b>id</b>')).toBeVisible();
  await expect(ws.token('<img')).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('b, i, img').count()).toBe(0);
});

test('the workspace has no serious or critical accessibility violations', async ({ page, workspace: ws }) => {
  await page.goto('/');
  expect(await seriousA11yViolations(page)).toEqual([]);
  await page.getByRole('textbox', { name: 'Annotator ID' }).fill('ally');
  await page.getByRole('button', { name: 'Start' }).click();
  await ws.waitForImage();
  await ws.clickImage(200, 200);
  expect(await seriousA11yViolations(page)).toEqual([]);
});

test('an annotator opens a local pack (pack file plus images), jumps through the queue, and finds it again after a reload', async ({ page, workspace: ws }) => {
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Annotator ID' }).fill('lola');
  const pack = JSON.parse(await readFile('public/demo/pack.json', 'utf8'));
  pack.name = 'local-demo';
  pack.items = pack.items.slice(0, 3).map((it: { width?: number; height?: number }) => ({ ...it, width: undefined, height: undefined }));
  await page
    .getByLabel('Open pack files')
    .setInputFiles([
      { name: 'pack.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(pack)) },
      ...['0001', '0002', '0003'].map((id) => ({ name: `${id}.png`, mimeType: 'image/png', buffer: readFileSync(`public/demo/images/${id}.png`) })),
    ]);
  await page.getByRole('button', { name: 'Start' }).click();
  await ws.waitForImage();
  await expect(page.getByText('0 / 3 done')).toBeVisible();
  // Sizes come from the images themselves when the pack leaves them out.
  expect((await ws.state()).imageSize).toEqual({ width: 512, height: 512 });
  await page.getByText('Queue (3 items)').click();
  await page.getByRole('list', { name: 'Items' }).getByRole('button', { name: /0003/ }).click();
  await expect.poll(async () => (await ws.state()).itemId).toBe('0003');
  await ws.waitForImage();
  await ws.clickImage(99, 99);
  await ws.whenSaved();

  // A reload opens the same local pack (kept in the browser) at the same item, with the work.
  await page.reload();
  await ws.waitForImage();
  await expect(page.getByText('local-demo')).toBeVisible();
  const s = await ws.state();
  expect(s.itemId).toBe('0003');
  expect(s.points.map((p) => [Math.round(p.x), Math.round(p.y)])).toEqual([[99, 99]]);

  // Closing it goes back to the demo pack.
  await page.getByRole('button', { name: 'Close local pack' }).click();
  await expect(page.getByText('0 / 8 done')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close local pack' })).toHaveCount(0);
});

test('a local pack can be chosen only once the start pack is open, so the start pack never replaces it', async ({ page }) => {
  // The start pack (here the demo) is opened as the page starts; a pack chosen from disk before it
  // arrived would be replaced by it when it did. Every DOM change is watched from the first one.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      if (document.querySelector('input[type=file]') && !document.body.textContent?.includes('Task pack')) {
        (window as unknown as { fileInputBeforePack: boolean }).fileInputBeforePack = true;
      }
    }).observe(document, { childList: true, subtree: true, attributes: true });
  });
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Start' })).toBeEnabled();
  await expect(page.getByLabel('Open pack files')).toBeAttached();
  expect(await page.evaluate(() => (window as unknown as { fileInputBeforePack?: boolean }).fileInputBeforePack ?? false)).toBe(false);
});

test('an image that fails to load is reported with its item, and a broken pack leaves stored work alone', async ({ page, workspace: ws }) => {
  await ws.start('gina');
  await ws.clickImage(40, 40);
  await ws.whenSaved();
  const broken = { format: 'richhf-taskpack', version: 1, name: 'demo', items: [{ id: '0001', image: 'missing/0001.png', prompt: 'three red balls on a wooden table' }] };
  await page.route('**/packs/broken.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify(broken) }));
  await page.goto('/?pack=packs/broken.json');
  await expect(page.getByRole('alert')).toContainText('broken.json: items[0].image: the image "missing/0001.png" could not be loaded');
  await page.route('**/packs/nothing-here.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto('/?pack=packs/nothing-here.json');
  await expect(page.getByRole('alert')).toContainText('nothing-here.json: could not be loaded');
  await page.goto('/');
  await ws.waitForImage();
  expect((await ws.state()).points.map((p) => [Math.round(p.x), Math.round(p.y)])).toEqual([[40, 40]]);
});

test('an unfinished item keeps its draft when the annotator looks elsewhere and comes back, even twice', async ({ page, workspace: ws }) => {
  await ws.start('dora');
  await ws.clickImage(60, 60);
  await ws.whenSaved();
  await page.reload();
  await ws.waitForImage();
  // The draft came from storage; leave it untouched, visit another item, come back.
  await page.getByRole('button', { name: 'Next item' }).click();
  await page.getByRole('button', { name: 'Previous item' }).click();
  expect((await ws.state()).points).toHaveLength(1);
  // Submitted work replaces the draft.
  for (const k of ['3', '3', '3', '3']) await page.keyboard.press(k);
  await page.keyboard.press('Control+Enter');
  await page.getByRole('button', { name: 'Previous item' }).click();
  const s = await ws.state();
  expect(s.itemId).toBe('0001');
  expect(s.scores).toEqual({ plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 });
});

test('the cursor says when the view is being panned', async ({ page, workspace: ws }) => {
  await ws.start('paula');
  const canvas = page.getByRole('img', { name: /^Image to annotate/ });
  await expect(canvas).toHaveCSS('cursor', 'crosshair');
  // Dragging empty space pans: the cursor grabs while the drag lasts.
  const a = await ws.toClient(100, 100);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(a.x + 40, a.y + 30, { steps: 4 });
  await expect(canvas).toHaveCSS('cursor', 'grabbing');
  await page.mouse.up();
  await expect(canvas).toHaveCSS('cursor', 'crosshair');
  // Space held: ready to pan.
  await page.keyboard.down(' ');
  await expect(canvas).toHaveCSS('cursor', 'grab');
  await page.keyboard.up(' ');
  await expect(canvas).toHaveCSS('cursor', 'crosshair');
  expect((await ws.state()).points).toEqual([]);
});
