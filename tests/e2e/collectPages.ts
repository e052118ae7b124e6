/** What the collection server's end-to-end tests do in their pages: open one, label and submit, read the outbox. */
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import type { Collection } from './collection.ts';
import type { RichhfTestApi } from '../../src/app/testApi.ts';
import { Workspace } from './fixtures.ts';

/**
 * A page in a browser context of its own (its own IndexedDB: another machine). `prepare` runs
 * on the context before the page opens (routes that cut requests, say). The app's service worker
 * is blocked unless `options` allow it (tests/e2e/offline.spec.ts).
 */
export async function openPage(
  browser: Browser,
  url: string,
  prepare?: (context: BrowserContext) => Promise<unknown>,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; ws: Workspace }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block', ...options });
  await prepare?.(context);
  const page = await context.newPage();
  await page.goto(url);
  return { page, ws: new Workspace(page) };
}

/** `annotator` invited to the collection, their link opened in a browser of their own (`prepare`d as openPage's), at their first image. */
export async function signIn(browser: Browser, c: Collection, annotator: string, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<{ page: Page; ws: Workspace }> {
  const links = await c.invite([annotator]);
  const opened = await openPage(browser, links.get(annotator)!, prepare);
  await opened.ws.waitForImage();
  return opened;
}

/** Labels the current item through the accessible names (one point, one word, four scores) and submits it; returns its id. */
export async function labelAndSubmit(ws: Workspace, seed: number): Promise<string> {
  await ws.waitForImage();
  const { itemId } = await ws.state();
  await ws.clickImage(60 + seed * 40, 80 + seed * 30);
  await ws.page
    .getByRole('group', { name: 'Prompt' })
    .getByRole('button')
    .nth(seed % 3)
    .click();
  await ws.score('Plausibility', 1 + (seed % 5));
  await ws.score('Alignment', 1 + ((seed + 1) % 5));
  await ws.score('Aesthetics', 1 + ((seed + 2) % 5));
  await ws.score('Overall', 1 + ((seed + 3) % 5));
  await ws.submitButton().click();
  return itemId;
}

/**
 * Waits until the page holds the next item too, its image decoded: what lets the annotator go on
 * without the server (a test that stops the server sooner would find the next image missing).
 */
export async function holdsNextItem(ws: Workspace): Promise<void> {
  await expect.poll(() => ws.page.evaluate(() => (window as unknown as { __richhf: RichhfTestApi }).__richhf.imagesLoaded())).toBeGreaterThanOrEqual(2);
}

/** The outbox indicator ("Submissions: All saved", "Submissions: 2 waiting"…). */
export const outboxStatus = (page: Page) => page.getByRole('status', { name: 'Submissions' });

/** What waits in the page's IndexedDB outbox, read through the app's test API. */
export function storedOutbox(page: Page): Promise<{ annotator: string; itemId: string; refusal: string | null }[]> {
  return page.evaluate(() => (window as unknown as { __richhf: RichhfTestApi }).__richhf.outbox());
}

/**
 * Waits until the page's IndexedDB outbox holds these items, in this order. A submission counts
 * as waiting ("Submissions: 2 waiting") from the moment Submit queues it, a few milliseconds
 * before the transaction that stores it (and drops its draft) commits; a page reloaded or closed
 * in between comes back with the item as a draft, not in the outbox. So a test that reloads or
 * closes a page with submissions waiting waits for this first.
 */
export async function outboxHolds(page: Page, itemIds: readonly string[]): Promise<void> {
  await expect.poll(async () => (await storedOutbox(page)).map((e) => e.itemId)).toEqual(itemIds);
}

/** Resolves once every write the page has issued to its IndexedDB has committed (what a reload then finds). */
export function pageSaved(page: Page): Promise<void> {
  return page.evaluate(() => (window as unknown as { __richhf: RichhfTestApi }).__richhf.whenSaved());
}

/**
 * The page's clock, driven by the test: installed before the page loads, it runs at the real
 * pace until `skipWaits` jumps it ahead, firing every timer that falls due meanwhile once (the
 * outbox's and the session's backoff, an image's next try). So a test never waits out a backoff.
 */
export const drivenClock = (context: BrowserContext) => context.clock.install();

/** Longer than the longest backoff (15 s, +20 %) and an image's retry (30 s). */
export const skipWaits = (page: Page) => page.clock.fastForward(31_000);
