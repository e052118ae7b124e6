/**
 * The lead's dashboard on small and large screens (issue 21): at 390 px nothing scrolls the page
 * sideways and every annotator's Download and Revoke are on screen; the item table shows every
 * item's id and figures without being cut; at 1366 px the spread charts share their rows evenly;
 * "Copy link" keeps its width when it says "Copied"; the live line never nests brackets; downloads
 * from the server and from the page are named by one rule. Axe-clean at 390, 1366 and 1920 px.
 */
import type { Locator, Page } from '@playwright/test';
import { Collection, LEAD_TOKEN, nextByApi, submitByApi } from './collection.ts';
import { openPage } from './collectPages.ts';
import { expect, keepScreenshot, seriousA11yViolations, test, VIEWPORTS } from './fixtures.ts';

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** `n` items claimed and answered by `token` through the API (quicker than a page), scores drawn from `seed`. */
async function submitSome(c: Collection, token: string, n: number, seed: number) {
  for (let k = 0; k < n; k++) {
    const item = await nextByApi(c, token);
    const score = 1 + ((seed + k) % 5);
    await submitByApi(c, token, item, {
      points: [{ kind: 'artifact', x: 10 + seed, y: 20 + k }],
      misalignedTokens: [0],
      scores: { plausibility: score, alignment: 6 - score, aesthetics: 3, overall: score },
      submittedAt: new Date(Date.UTC(2026, 11, 1, 10, seed, k)).toISOString(),
      activeMs: 30_000 + 1000 * seed,
    });
  }
}

/** Whether `el` lies within the screen's width. */
async function withinWidth(el: Locator, width: number): Promise<boolean> {
  const b = (await el.boundingBox())!;
  return b.x >= -0.5 && b.x + b.width <= width + 0.5;
}

test('the dashboard fits 390, 1366 and 1920 px: actions on screen, the item table whole, charts in even rows; Copy link keeps its width; one file-name rule', async ({
  browser,
}, testInfo) => {
  test.setTimeout(240_000);
  // The first item's id as a real collection names an image (source part, prompt id, seed).
  const longItem = 'diffusiondb-part-000137/4e0f2b7c-seed-3812734621';
  const c = await Collection.start({ items: 4, k: 2, name: 'Ocean trial', ids: [longItem] });
  try {
    const longId = 'annotator-with-a-rather-long-identifier-from-the-vendor-pool-0042';
    const links = await c.invite(['alice', 'bob', longId]);
    const tokenOf = (id: string) => new URL(links.get(id)!).searchParams.get('invite')!;
    await submitSome(c, tokenOf('alice'), 3, 1);
    await submitSome(c, tokenOf('bob'), 3, 2);

    const { page } = await openPage(browser, `${c.url}/?lead=${LEAD_TOKEN}#/review`);
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Items' })).toBeVisible();

    for (const vp of VIEWPORTS) {
      await page.setViewportSize({ width: vp.width, height: vp.height });
      const why = `${vp.width} px`;
      await expect.poll(() => horizontalOverflow(page), { message: `${why}: no sideways scrolling` }).toBeLessThanOrEqual(0);
      for (const id of ['alice', 'bob']) {
        for (const name of [`Download the file of ${id}`, `Revoke ${id}`]) {
          const b = page.getByRole('button', { name, exact: true });
          await b.scrollIntoViewIfNeeded();
          expect(await withinWidth(b, vp.width), `${why}: ${name}`).toBe(true);
        }
      }
      // Every column of the item table is on screen in a row, and the ids are whole.
      const openLong = page.getByRole('button', { name: `Open item ${longItem}` });
      const row = page.getByRole('table', { name: 'Items' }).getByRole('row').filter({ has: openLong });
      await row.scrollIntoViewIfNeeded();
      for (const cell of await row.getByRole('cell').all()) expect(await withinWidth(cell, vp.width), `${why}: a cell of the first item`).toBe(true);
      expect(await openLong.evaluate((e) => e.scrollWidth <= e.clientWidth + 0.5 && e.scrollHeight <= e.clientHeight + 0.5), `${why}: the id is whole`).toBe(true);
      // The four spread charts: in rows of equal length (4, or 2 + 2), none alone.
      const tops = await page.getByRole('img', { name: /^\w+ spread:/ }).evaluateAll((charts) => charts.map((f) => Math.round(f.getBoundingClientRect().top)));
      expect(tops).toHaveLength(4);
      const perRow = [...new Set(tops)].map((t) => tops.filter((x) => x === t).length);
      expect(new Set(perRow).size, `${why}: spread charts per row ${perRow.join(' + ')}`).toBe(1);
      expect(await seriousA11yViolations(page), why).toEqual([]);
      await keepScreenshot(page, testInfo, `dashboard-${vp.width}`);
    }

    // "Copy link" and "Copied" take the same room.
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByLabel('Annotator IDs (one per line)').fill('dora');
    await page.getByRole('button', { name: 'Create invite links' }).click();
    const copy = page.getByRole('button', { name: 'Copy the invite link of dora' });
    const before = (await copy.boundingBox())!.width;
    await copy.click();
    await expect(copy).toHaveText('Copied');
    expect((await copy.boundingBox())!.width).toBe(before);

    // One file-name rule for what the lead downloads, from the server and from the page.
    const fromServer = page.waitForEvent('download');
    await page.getByRole('button', { name: "Download the server's dataset" }).click();
    expect((await fromServer).suggestedFilename()).toBe('Ocean_trial-dataset.json');
    const aliceFile = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download the file of alice' }).click();
    expect((await aliceFile).suggestedFilename()).toBe('Ocean_trial-alice.json');
    const fromPage = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export dataset' }).click();
    expect((await fromPage).suggestedFilename()).toBe('Ocean_trial-dataset.json');

    // The server stops: the live line says so in one bracket at most.
    await c.stop();
    const live = page.getByRole('status').filter({ hasText: /^Reconnecting/ });
    await expect(live).toBeVisible({ timeout: 30_000 });
    expect((await live.textContent())!.replace(/\([^()]*\)/g, '')).not.toMatch(/[()]/);
  } finally {
    await c.stop();
  }
});
