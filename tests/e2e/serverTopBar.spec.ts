/**
 * The annotator's top bar on a collection server holds more than the static page's (the outbox's
 * count, Sign out): on a phone it must still fit the screen with an annotator id as long as the
 * demo's ("demo-annotator"), cut with an ellipsis, and whole on a laptop and a desktop.
 */
import type { Page } from '@playwright/test';
import { Collection } from './collection.ts';
import { signIn } from './collectPages.ts';
import { expect, test, VIEWPORTS } from './fixtures.ts';

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test("the server's top bar fits every screen, the demo annotator's id included", async ({ browser }) => {
  const c = await Collection.start({ items: 2, k: 1 });
  try {
    const { page, ws } = await signIn(browser, c, 'demo-annotator');
    await expect(ws.submitButton()).toBeVisible();
    await expect(page.getByRole('status', { name: 'Submissions' })).toBeVisible();
    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      await expect.poll(() => horizontalOverflow(page), `${vp.width} px: no sideways scrolling`).toBeLessThanOrEqual(0);
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeInViewport();
      await expect(page.getByTitle('Annotator', { exact: true })).toBeInViewport();
    }
  } finally {
    await c.stop();
  }
});
