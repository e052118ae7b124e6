/**
 * The annotator's screen in the corners issue 21 found: on a 1366×1024 touch screen the
 * highlighted score row and the shortcuts table fit the side panel; a prompt line never starts
 * with a comma or a full stop, at any width; and during an outage the outbox's message leaves the
 * toolbar usable and no green "Saved" stands beside submissions that wait. Axe-clean.
 */
import type { Page } from '@playwright/test';
import { Collection } from './collection.ts';
import { holdsNextItem, labelAndSubmit, outboxStatus, signIn } from './collectPages.ts';
import { expect, seriousA11yViolations, test, VIEWPORTS } from './fixtures.ts';
import { longPromptPack, servePack } from './packs.ts';

const SCALES = ['Plausibility', 'Alignment', 'Aesthetics', 'Overall'] as const;

/** Elements under `selector` whose content is wider (or taller) than their box: cut text. */
const cutInside = (page: Page, selector: string) =>
  page.evaluate((selector) => {
    const cut: string[] = [];
    for (const e of document.querySelectorAll<HTMLElement>(selector)) {
      if (e.scrollWidth > e.clientWidth + 0.5) cut.push(`${e.tagName.toLowerCase()} "${e.textContent?.trim().slice(0, 30)}" ${e.scrollWidth} > ${e.clientWidth}`);
    }
    return cut;
  }, selector);

/** The right edge of `el` against the side panel's, in CSS pixels (> 0: sticks out). */
const beyondPanel = (page: Page, selector: string) =>
  page.evaluate((selector) => {
    const panel = document.querySelector('.side-scroll, .side-footer')!.closest('.side-panel')!.getBoundingClientRect();
    return Math.max(...[...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect().right - panel.right));
  }, selector);

test.describe('1366×1024 touch screen', () => {
  test.use({ viewport: { width: 1366, height: 1024 }, hasTouch: true });

  test('the highlighted score row and the shortcuts table fit the side panel', async ({ page, workspace: ws }) => {
    await ws.start('tara', await servePack(page, longPromptPack()));
    for (const scale of SCALES) {
      await expect(ws.scoreRadio(scale, 5)).toBeVisible();
      const five = (await page.getByRole('radiogroup', { name: scale }).locator('label.radio').last().boundingBox())!;
      const group = (await page.getByRole('radiogroup', { name: scale }).boundingBox())!;
      expect(five.x + five.width, `${scale}: "5" inside its row`).toBeLessThanOrEqual(group.x + group.width + 0.5);
    }
    expect(await beyondPanel(page, '.score')).toBeLessThanOrEqual(0.5);
    expect(await cutInside(page, '.score, .score-head, .score-radios')).toEqual([]);
    await page.getByText('Keyboard shortcuts').click();
    await expect(page.getByRole('row', { name: /^P Place a point/ })).toBeVisible();
    expect(await beyondPanel(page, '.shortcuts table')).toBeLessThanOrEqual(0.5);
    expect(await cutInside(page, '.shortcuts th, .shortcuts td, .shortcuts')).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

test('no line of the prompt starts with a comma or a full stop, at any width', async ({ page, workspace: ws }) => {
  await ws.start('cora', await servePack(page, longPromptPack()));
  const punctuationStartingALine = () =>
    page.evaluate(() => {
      const group = document.querySelector('[role="group"][aria-label="Prompt"]')!;
      const chars: { c: string; top: number }[] = [];
      const walker = document.createTreeWalker(group, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const text = n.textContent ?? '';
        for (let i = 0; i < text.length; i++) {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          const rect = r.getClientRects()[0];
          if (rect && rect.width > 0) chars.push({ c: text[i]!, top: Math.round(rect.top) });
        }
      }
      return chars.filter((ch, k) => k > 0 && /[,.;:!?]/.test(ch.c) && ch.top > chars[k - 1]!.top + 2).length;
    });
  const starts: number[] = [];
  for (let width = 360; width <= 799; width += 9) {
    await page.setViewportSize({ width, height: 900 });
    if ((await punctuationStartingALine()) > 0) starts.push(width);
  }
  expect(starts, 'widths where a line starts with punctuation').toEqual([]);
});

test('during an outage the outbox message leaves the toolbar usable, and "Saved" is not green beside waiting submissions', async ({ browser }) => {
  const c = await Collection.start({ items: 4, k: 1 });
  try {
    const { page, ws } = await signIn(browser, c, 'omar');
    await holdsNextItem(ws);
    await c.stop();
    await labelAndSubmit(ws, 1);
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    await expect(page.getByText(/^The server cannot be reached: they are kept here/)).toBeVisible();
    await ws.waitForImage();
    await ws.clickImage(200, 200);
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await expect(page.getByText(/^The server cannot be reached: they are kept here/)).toBeVisible();
      for (const name of ['Undo', 'Redo', 'Fit', 'Zoom in', 'Artifact', 'Misalignment']) {
        const b = page.getByRole('button', { name, exact: true });
        const box = (await b.boundingBox())!;
        const onTop = await b.evaluate((btn, [x, y]) => document.elementFromPoint(x!, y!)?.closest('button') === btn, [box.x + box.width / 2, box.y + box.height / 2]);
        expect(onTop, `${vp.width} px: ${name} is not covered`).toBe(true);
      }
      expect(await seriousA11yViolations(page), `${vp.width} px`).toEqual([]);
    }
    await page.getByRole('button', { name: 'Undo' }).click();
    expect((await ws.state()).points).toEqual([]);
    const saved = page.locator('.save');
    await expect(saved).toHaveText('Saved here');
    expect(await saved.evaluate((e) => getComputedStyle(e).color)).not.toBe('rgb(44, 122, 63)');
    await c.restart();
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved', { timeout: 45_000 });
    await expect(saved).toHaveText('Saved');
  } finally {
    await c.stop();
  }
});
