/**
 * Nothing moves the image under the annotator's pointer but their own zoom and pan: a notice
 * shown and dismissed, the save indicator changing (its longest text included), the side panel
 * growing, the image finishing loading. An in-page recorder samples the screen position of one
 * image pixel on every DOM change and every frame, so a layout that lasts a single task is seen.
 */
import type { Page } from '@playwright/test';
import { expect, forEachViewport, keepScreenshot, test } from './fixtures.ts';

type Api = { __richhf: { imageToClient(x: number, y: number): { x: number; y: number } } };
type Watch = { __watch?: { seen: string[]; stop(): void } };

/** Starts recording where image pixel (x, y) is on screen. */
function watchPixel(page: Page, x: number, y: number): Promise<void> {
  return page.evaluate(
    ([x, y]) => {
      const w = window as unknown as Api & Watch;
      const seen: string[] = [];
      const sample = () => {
        let at = 'none';
        try {
          // Page coordinates: the page's own scroll is the annotator's doing, a layout shift is not.
          const p = w.__richhf.imageToClient(x!, y!);
          at = `${(p.x + window.scrollX).toFixed(1)},${(p.y + window.scrollY).toFixed(1)}`;
        } catch {
          // no canvas at this moment
        }
        if (seen[seen.length - 1] !== at) seen.push(at);
      };
      const mo = new MutationObserver(sample);
      mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      const ro = new ResizeObserver(sample);
      ro.observe(document.documentElement);
      let raf = 0;
      const tick = () => {
        sample();
        raf = requestAnimationFrame(tick);
      };
      tick();
      w.__watch = {
        seen,
        stop: () => {
          mo.disconnect();
          ro.disconnect();
          cancelAnimationFrame(raf);
        },
      };
    },
    [x, y],
  );
}

/** Stops recording; the distinct positions seen, in order. */
function positionsSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const w = window as unknown as Watch;
    w.__watch!.stop();
    return w.__watch!.seen;
  });
}

forEachViewport((vp) => {
  test('notices, the save indicator, a growing side panel and a late image never move the image', async ({ page, workspace: ws }, testInfo) => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route('**/demo/images/0003.png', async (route) => {
      await held;
      await route.continue();
    });
    await ws.start(`still-${vp.name}`);
    await watchPixel(page, 256, 256);

    // Points (each click saves: the indicator changes), a notice shown and dismissed.
    await ws.clickImage(100, 120);
    await page.getByRole('button', { name: 'Misalignment' }).click();
    await ws.clickImage(400, 120);
    await ws.whenSaved();
    await page.getByRole('button', { name: 'Export annotations' }).click();
    await expect(page.getByText('Exported 0 submitted item(s).')).toBeVisible();
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await expect(page.getByText('Exported 0 submitted item(s).')).toHaveCount(0);
    await page.getByLabel('Import annotations').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format": ') });
    await expect(page.getByRole('alert')).toContainText('bad.json');
    await page.getByRole('button', { name: 'Dismiss message' }).click();

    // The side panel grows: lists opened, a word marked, a warning shown.
    await page.getByText(/^Points \(\d+\)$/).click();
    await page.getByText(/^Queue \(\d+ items\)$/).click();
    await page.getByText('Keyboard shortcuts').click();
    await ws.token('three').click();
    await ws.score('Alignment', 5);
    await expect(page.getByText('Some words are marked misaligned, but Alignment is 5')).toBeVisible();

    // The save indicator with each of its texts, the longest an error.
    await page.evaluate(() => {
      const save = document.querySelector('.save');
      const text = save?.firstChild;
      if (!save || !text) throw new Error('no save indicator');
      const old = text.textContent;
      for (const t of ['Saving…', 'Not saved: QuotaExceededError: the browser refused to store more data for this site', 'Saved']) {
        text.textContent = t;
        save.getBoundingClientRect();
      }
      text.textContent = old;
    });
    await ws.whenSaved();
    expect(await positionsSeen(page), 'the image pixel (256, 256) on screen').toHaveLength(1);
    await keepScreenshot(page, testInfo, `stable-${vp.width}`);

    // A late image: the item is shown (sized by the pack) before its image arrives.
    await page.getByRole('button', { name: 'Next item' }).click();
    await page.getByRole('button', { name: 'Next item' }).click();
    await expect.poll(async () => (await ws.state()).viewport !== null && (await ws.state()).itemId === '0003').toBe(true);
    const ready = await page.evaluate(() => performance.getEntriesByName('richhf:item-ready').length);
    await watchPixel(page, 256, 256);
    release();
    await expect.poll(() => page.evaluate(() => performance.getEntriesByName('richhf:item-ready').length)).toBe(ready + 1);
    expect(await positionsSeen(page), 'the image pixel (256, 256) while the image loads').toHaveLength(1);
  });
});
