/**
 * The annotator's top bar on a collection server holds more than the static page's (the outbox's
 * count, Sign out): on a phone it must still fit the screen with an annotator id as long as the
 * demo's ("demo-annotator"), cut with an ellipsis, and whole on a laptop and a desktop.
 */
import type { Page } from '@playwright/test';
import { Collection } from './collection.ts';
import { openPage, signIn } from './collectPages.ts';
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

test('with a long annotator id, the id gives way: Sign out keeps its whole text, clear of the id, on every screen (touch on the phone)', async ({ browser }) => {
  const c = await Collection.start({ items: 9, k: 1 }); /* each annotator leases up to 3 */
  try {
    for (const vp of VIEWPORTS) {
      const id = `newcomer-${vp.name}-17966848713`;
      const links = await c.invite([id]);
      const { page, ws } = await openPage(browser, links.get(id)!, undefined, { viewport: { width: vp.width, height: vp.height }, hasTouch: vp.touch });
      await ws.waitForImage();
      const signOut = page.getByRole('button', { name: 'Sign out' });
      const who = page.getByTitle('Annotator', { exact: true });
      await expect.poll(() => horizontalOverflow(page), `${vp.name}: no sideways scrolling`).toBeLessThanOrEqual(0);
      expect(await signOut.evaluate((b) => b.scrollWidth <= b.clientWidth + 0.5), `${vp.name}: "Sign out" whole in its button`).toBe(true);
      const [b, w] = [(await signOut.boundingBox())!, (await who.boundingBox())!];
      expect(w.x, `${vp.name}: the id starts after the button`).toBeGreaterThanOrEqual(b.x + b.width);
      await expect(who).toBeInViewport();
      await page.context().close();
    }
  } finally {
    await c.stop();
  }
});
