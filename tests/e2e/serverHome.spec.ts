/**
 * The pages a collection server shows to someone not signed in (issue 21): its root names the
 * server's pack, says that an invite link is needed and leads the lead to their sign-in (never the
 * static demo, whose work would stay in the browser); an invite link that does not work gets a
 * page that says so in a sentence, offers Sign out only to someone who was signed in, and keeps
 * off the screen's edges on a phone. Every screen at 390, 1366 and 1920 px, axe-clean.
 */
import type { Page } from '@playwright/test';
import { Collection, LEAD_TOKEN } from './collection.ts';
import { openPage, signIn } from './collectPages.ts';
import { expect, seriousA11yViolations, test, VIEWPORTS } from './fixtures.ts';

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** The card's distance from the left and right edges of the screen (CSS pixels). */
const margins = (page: Page) =>
  page.locator('main').evaluate((m) => {
    const r = m.getBoundingClientRect();
    return { left: r.left, right: document.documentElement.clientWidth - r.right };
  });

async function expectFitsEveryScreen(page: Page) {
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    expect(await horizontalOverflow(page), `${vp.width} px: no sideways scrolling`).toBe(0);
    const m = await margins(page);
    expect(Math.min(m.left, m.right), `${vp.width} px: the card keeps off the edges`).toBeGreaterThanOrEqual(12);
    expect(await seriousA11yViolations(page), `${vp.width} px`).toEqual([]);
  }
}

test("a collection server's root names its pack and how to sign in, never the demo; the lead signs in from it", async ({ browser }) => {
  const c = await Collection.start({ items: 2, k: 1, name: 'Ocean trial' });
  try {
    const { page } = await openPage(browser, `${c.url}/`);
    await expect(page.getByRole('heading', { name: 'Collection server' })).toBeVisible();
    await expect(page.getByText('This richhf-studio server collects feedback on the task pack Ocean trial.')).toBeVisible();
    await expect(page.getByText(/^Open the invite link your project lead sent you/)).toBeVisible();
    await expect(page.getByRole('textbox', { name: 'Annotator ID' })).toHaveCount(0);
    await expect(page.getByText(/Task pack demo/)).toHaveCount(0);
    await expectFitsEveryScreen(page);

    await page.getByRole('link', { name: 'Sign in as the project lead' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in as the project lead' })).toBeVisible();
    // Nobody is signed in yet: nothing to sign out of.
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expectFitsEveryScreen(page);
    await page.getByRole('textbox', { name: 'Lead link' }).fill(`${c.url}/?lead=${LEAD_TOKEN}#/review`);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  } finally {
    await c.stop();
  }
});

test('an invite link that does not work: a sentence, no Sign out for someone never signed in, off the edges; a revoked one offers Sign out', async ({ browser }) => {
  const c = await Collection.start({ items: 2, k: 1 });
  try {
    const { page } = await openPage(browser, `${c.url}/?invite=no-such-token-here`);
    await expect(page.getByRole('heading', { name: 'This invite link does not work' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('This token is not known to this server: ask the project lead for a new invite link.');
    await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
    await expectFitsEveryScreen(page);
    // A token that never signed anyone in is not kept: the next visit is the server's own page.
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Collection server' })).toBeVisible();

    const { page: alice } = await signIn(browser, c, 'alice');
    await c.api('DELETE', '/invites/alice');
    await alice.reload();
    await expect(alice.getByRole('alert')).toHaveText('This invite was revoked by the project lead; ask them if you should still be working.');
    await alice.getByRole('button', { name: 'Sign out' }).click();
    await expect(alice.getByRole('heading', { name: 'Signed out' })).toBeVisible();
    await expectFitsEveryScreen(alice);
  } finally {
    await c.stop();
  }
});
