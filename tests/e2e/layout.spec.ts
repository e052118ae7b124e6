/**
 * Layouts from a phone to a desktop, with real long prompts and long ids: nothing is wider than
 * the screen; the toolbar is whole; on narrow screens the image comes first and the side panel is
 * part of the page's own scroll, with touch targets of at least 40 px; a prompt is shown once, and
 * on laptop and desktop screens the scores and Submit are on screen without scrolling; long ids
 * are cut with an ellipsis and shown whole on hover and on focus. Each test keeps a screenshot of
 * its width with the results, and axe finds nothing serious or critical.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, forEachViewport, keepScreenshot, seriousA11yViolations, test, type Viewport } from './fixtures.ts';
import { demoPack, longPromptPack, servePack, VERY_LONG_ID } from './packs.ts';

const SCALES = ['Plausibility', 'Alignment', 'Aesthetics', 'Overall'] as const;
const FIX = path.resolve(import.meta.dirname, '../../fixtures/consolidate');

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The scroll box (other than the page itself) that `el` sits in and that actually scrolls, if any. */
const innerScroller = (el: Locator) =>
  el.evaluate((node) => {
    for (let e = node.parentElement; e && e !== document.body && e !== document.documentElement; e = e.parentElement) {
      const o = getComputedStyle(e).overflowY;
      if ((o === 'auto' || o === 'scroll') && e.scrollHeight > e.clientHeight + 1) return e.className || e.tagName;
    }
    return null;
  });

/** Visible pointer targets (buttons, summaries, score choices, file pickers) smaller than `min` px either way. */
const smallTargets = (page: Page, min: number) =>
  page.evaluate((min) => {
    const targets = document.querySelectorAll<HTMLElement>('button, summary, a[href], label.radio, label.file-button');
    return [...targets]
      .filter((e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width < min - 0.5 || r.height < min - 0.5)
      .map(({ e, r }) => `${e.tagName.toLowerCase()} "${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 30)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
  }, min);

/** Whether the text of `el` is cut (and how), or shown whole, and whether it is on top where it is drawn. */
const textFit = (el: Locator) =>
  el.evaluate((node) => {
    const r = node.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + Math.min(r.width - 2, 20), r.top + r.height / 2);
    return {
      cut: node.scrollWidth > node.clientWidth + 0.5 || node.scrollHeight > node.clientHeight + 0.5,
      ellipsis: getComputedStyle(node).textOverflow === 'ellipsis',
      onTop: top !== null && (top === node || node.contains(top)),
      right: r.right,
    };
  });

async function expectWholeOnHoverAndFocus(page: Page, target: Locator, text: Locator, vp: Viewport) {
  const at = await textFit(text);
  expect(at.cut, 'cut').toBe(true);
  expect(at.ellipsis, 'with an ellipsis').toBe(true);
  await target.hover();
  await expect.poll(async () => (await textFit(text)).cut, { message: 'whole on hover' }).toBe(false);
  expect((await textFit(text)).onTop).toBe(true);
  expect((await textFit(text)).right).toBeLessThanOrEqual(vp.width + 0.5);
  await page.mouse.move(0, vp.height - 1);
  await expect.poll(async () => (await textFit(text)).cut).toBe(true);
  // Keyboard focus (Tab, so that :focus-visible applies) shows it whole too.
  await target.focus();
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
  await expect.poll(async () => (await textFit(text)).cut, { message: 'whole on focus' }).toBe(false);
}

forEachViewport((vp) => {
  const wide = vp.width >= 1000;

  test('the longest real prompt: the page fits the screen, the prompt is shown once, scores and Submit are within reach', async ({ page, workspace: ws }, testInfo) => {
    await ws.start(`lena-${vp.name}`, await servePack(page, longPromptPack()));
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    for (const name of ['Artifact', 'Misalignment', 'Zoom out', 'Zoom in', 'Fit', 'Undo', 'Redo']) {
      const b = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      expect(b.x, name).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width, name).toBeLessThanOrEqual(vp.width);
    }
    // The words are the prompt: "kaiju" is one of its 134 words, shown once.
    await expect(page.getByText('kaiju')).toHaveCount(1);
    const submit = ws.submitButton();
    if (wide) {
      for (const s of SCALES) await expect(page.getByRole('radiogroup', { name: s })).toBeInViewport({ ratio: 1 });
      await expect(submit).toBeInViewport({ ratio: 1 });
    } else {
      const image = (await page.getByRole('img', { name: /^Image to annotate/ }).boundingBox())!;
      const panel = page.getByRole('complementary', { name: 'Feedback' });
      expect(image.y + image.height, 'the image comes first').toBeLessThanOrEqual((await panel.boundingBox())!.y + 1);
      expect(await innerScroller(submit), 'Submit is in the page scroll, not in an inner scroll box').toBeNull();
      expect(await innerScroller(page.getByRole('radiogroup', { name: 'Overall' }))).toBeNull();
      await submit.scrollIntoViewIfNeeded();
      await expect(submit).toBeInViewport({ ratio: 1 });
      expect(await smallTargets(page, 40), 'touch targets of at least 40 px').toEqual([]);
    }
    expect(await seriousA11yViolations(page)).toEqual([]);
    await keepScreenshot(page, testInfo, `workspace-long-prompt-${vp.width}`);
  });

  test('the demo pack with its instructions open: scores and Submit within reach', async ({ page, workspace: ws }, testInfo) => {
    await ws.start(`dina-${vp.name}`, await servePack(page, demoPack(8, 'demo-copy')));
    await expect(page.getByText(/^Look at the image/)).toBeVisible();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    if (wide) {
      for (const s of SCALES) await expect(page.getByRole('radiogroup', { name: s })).toBeInViewport({ ratio: 1 });
      await expect(ws.submitButton()).toBeInViewport({ ratio: 1 });
    }
    await keepScreenshot(page, testInfo, `workspace-demo-${vp.width}`);
  });

  test('long ids are cut with an ellipsis in the Queue and the top bar, and shown whole on hover and on focus', async ({ page, workspace: ws }, testInfo) => {
    const pack = longPromptPack();
    await ws.start(`quinn-${vp.name}`, await servePack(page, pack));
    await page.getByText(/^Queue \(\d+ items\)$/).click();
    const list = page.getByRole('list', { name: 'Items' });
    for (const it of pack.items) {
      const row = list.getByRole('button', { name: it.id });
      const id = row.getByText(it.id, { exact: true });
      const idBox = (await id.boundingBox())!;
      const rowBox = (await row.boundingBox())!;
      const promptBox = (await row.getByText(it.prompt.slice(0, 12)).boundingBox())!;
      expect(idBox.x + idBox.width, `${it.id} stays clear of its prompt`).toBeLessThanOrEqual(promptBox.x + 0.5);
      expect(idBox.x + idBox.width).toBeLessThanOrEqual(rowBox.x + rowBox.width + 0.5);
      const fit = await textFit(id);
      expect(fit.cut && !fit.ellipsis, `${it.id}: cut without an ellipsis`).toBe(false);
    }
    await expectWholeOnHoverAndFocus(page, list.getByRole('button', { name: VERY_LONG_ID }), list.getByText(VERY_LONG_ID, { exact: true }), vp);
    await keepScreenshot(page, testInfo, `workspace-queue-${vp.width}`);
    const header = page.getByRole('banner').getByText(VERY_LONG_ID, { exact: true });
    await page.mouse.move(0, vp.height - 1);
    expect((await textFit(header)).cut && !(await textFit(header)).ellipsis, 'the top bar cuts the id with an ellipsis').toBe(false);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  });

  test('the review page fits the screen; long ids in its table are cut with an ellipsis and shown whole on hover and on focus (whole in the row on a phone)', async ({
    page,
    review,
  }, testInfo) => {
    const pack = longPromptPack();
    await review.open(await servePack(page, pack));
    await expect(review.openButton(VERY_LONG_ID)).toBeVisible();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    const cell = review.openButton(VERY_LONG_ID);
    const cellBox = (await review.row(VERY_LONG_ID).getByRole('cell').first().boundingBox())!;
    const idBox = (await cell.boundingBox())!;
    expect(idBox.x + idBox.width, 'the id stays inside its cell').toBeLessThanOrEqual(cellBox.x + cellBox.width + 0.5);
    // On a phone a row is four lines and the id wraps in the first, whole; wider, it has two lines, then an ellipsis.
    if (vp.width < 700) expect((await textFit(cell)).cut, 'whole in the row').toBe(false);
    else await expectWholeOnHoverAndFocus(page, cell, cell, vp);
    await review.openItem(VERY_LONG_ID);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await keepScreenshot(page, testInfo, `review-long-ids-${vp.width}`);
  });

  test('the review page with three annotators fits the screen, item view included', async ({ page, review }, testInfo) => {
    const pack = JSON.parse(readFileSync(path.join(FIX, 'pack.json'), 'utf8'));
    await review.open(await servePack(page, pack));
    await review.importFiles(['alice', 'bob', 'carol'].map((a) => path.join(FIX, `${a}.json`)));
    await expect(review.importedFiles().getByRole('row')).toHaveCount(4);
    await review.openItem('0001');
    await expect(page.locator('g[data-annotator="bob"] circle')).toHaveCount(3);
    await expect(page.getByRole('table', { name: 'Per-annotator statistics' }).getByRole('row')).toHaveCount(4);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await keepScreenshot(page, testInfo, `review-${vp.width}`);
  });
});

test('from 360 to 2560 px wide: nothing wider than the screen, the top bar in one row from 800 px, Submit within reach', async ({ page, workspace: ws }, testInfo) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await ws.start('wanda', await servePack(page, longPromptPack()));
  for (const [width, height] of [
    [360, 740],
    [600, 900],
    [800, 700],
    [1024, 768],
    [1280, 800],
    [1440, 900],
    [2560, 1440],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    expect(await horizontalOverflow(page), `${width} px`).toBeLessThanOrEqual(0);
    for (const name of ['Previous item', 'Next item', 'Export annotations', 'Redo']) {
      const b = (await page.getByRole('button', { name, exact: true }).boundingBox())!;
      expect(b.x + b.width, `${name} at ${width} px`).toBeLessThanOrEqual(width);
    }
    const bar = (await page.getByRole('banner').boundingBox())!;
    if (width >= 800) expect(bar.height, `the top bar at ${width} px`).toBeLessThan(60);
    const submit = ws.submitButton();
    if (width >= 800) await expect(submit, `${width} px`).toBeInViewport({ ratio: 1 });
    else {
      await submit.scrollIntoViewIfNeeded();
      await expect(submit).toBeInViewport({ ratio: 1 });
    }
    if (width === 360 || width === 2560) await keepScreenshot(page, testInfo, `workspace-${width}`);
  }
});
