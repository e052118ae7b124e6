/**
 * The outbox against a real `richhf serve` that goes away: submissions made while the server is
 * stopped wait in the browser (the page keeps working on the items it holds, and says how many
 * wait), and reach the server exactly once when it is back — in the same page, and on the next
 * visit after the tab was closed or reloaded.
 */
import { Collection } from './collection.ts';
import { drivenClock, holdsNextItem, labelAndSubmit, openPage, outboxHolds, outboxStatus, signIn, skipWaits, storedOutbox } from './collectPages.ts';
import type { Route } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/** A page that loads and signs in again on a loaded machine (no backoff is waited out: see skipWaits). */
const RELOAD = { timeout: 20_000 };

test('the server stops while an annotator submits two items: the page keeps working, shows 2 waiting, and both arrive once after the restart', async ({ browser }) => {
  test.setTimeout(120_000);
  const c = await Collection.start({ items: 4, k: 1 });
  try {
    const { page, ws } = await signIn(browser, c, 'alice', drivenClock);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    // The page holds the current item and the next one (already leased and loaded).
    await expect.poll(async () => (await c.progress()).annotators[0]!.leased).toBe(2);
    await holdsNextItem(ws);

    await c.stop();
    const first = await labelAndSubmit(ws, 1);
    // The next item comes at once from what the page holds.
    await expect.poll(async () => (await ws.state()).itemId).not.toBe(first);
    const second = await labelAndSubmit(ws, 2);
    await expect(outboxStatus(page)).toHaveText('Submissions: 2 waiting');
    await expect(page.getByText('The server cannot be reached: they are kept here and sent as soon as it answers.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Submit' })).toBeVisible();
    await outboxHolds(page, [first, second]);

    await c.restart();
    // The outbox's next try comes at once instead of after its backoff.
    await skipWaits(page);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    expect((await c.records('alice')).map((r) => r.itemId)).toEqual([first, second].sort());
    expect((await c.progress()).submissions).toBe(2);
    expect(await storedOutbox(page)).toEqual([]);
    // And the work goes on: a next item arrives once the server answers again.
    await expect.poll(async () => (await ws.state()).itemId).not.toBe(second);
  } finally {
    await c.stop();
  }
});

test('submissions left in the outbox when the tab is closed are sent on the next visit, exactly once', async ({ browser }) => {
  test.setTimeout(120_000);
  const c = await Collection.start({ items: 4, k: 1 });
  try {
    const { page, ws } = await signIn(browser, c, 'alice');
    await holdsNextItem(ws);
    await c.stop();
    const first = await labelAndSubmit(ws, 1);
    await expect.poll(async () => (await ws.state()).itemId).not.toBe(first);
    const second = await labelAndSubmit(ws, 2);
    await expect(outboxStatus(page)).toHaveText('Submissions: 2 waiting');
    await outboxHolds(page, [first, second]);
    const context = page.context();
    await page.close();

    await c.restart();
    expect((await c.progress()).submissions).toBe(0);
    // The next visit (the token and the outbox are kept in this browser, not in the address).
    const again = await context.newPage();
    await again.goto(`${c.url}/`);
    await expect(outboxStatus(again)).toHaveText('Submissions: All saved', RELOAD);
    expect((await c.records('alice')).map((r) => r.itemId)).toEqual([first, second].sort());
    expect((await c.progress()).submissions).toBe(2);
  } finally {
    await c.stop();
  }
});

test('a reload while submissions wait and the server cannot be reached: the page opens on the items it holds, and sends each once when the connection is back', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const c = await Collection.start({ items: 5, k: 1 });
  try {
    const { page, ws } = await signIn(browser, c, 'alice', drivenClock);
    const done = await labelAndSubmit(ws, 0);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    await expect.poll(async () => (await c.progress()).annotators[0]!.leased).toBe(2);
    await holdsNextItem(ws);
    // A flaky connection: the page loads, but no call to the API gets through (its images do, from the cache or not).
    const cut = (url: URL) => url.pathname.startsWith('/api/v1/') && !url.pathname.startsWith('/api/v1/images/');
    await page.context().route(cut, (route) => route.abort('connectionreset'));
    const first = await labelAndSubmit(ws, 1);
    await expect.poll(async () => (await ws.state()).itemId).not.toBe(first);
    const second = await labelAndSubmit(ws, 2);
    await expect(outboxStatus(page)).toHaveText('Submissions: 2 waiting');
    await outboxHolds(page, [first, second]);

    await page.reload();
    // Without the server, the page opens on what it kept: the submissions waiting, to look at or revise.
    await ws.waitForImage();
    await expect(outboxStatus(page)).toHaveText(/^Submissions: 2 waiting/);
    expect([first, second]).toContain((await ws.state()).itemId);
    await expect(page.getByText('Waiting for the next item…').or(page.getByText(/^No next item yet/))).toBeVisible();
    expect((await storedOutbox(page)).map((e) => e.itemId)).toEqual([first, second]);
    expect((await c.progress()).submissions).toBe(1);

    await page.context().unroute(cut);
    await skipWaits(page);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    expect((await c.records('alice')).map((r) => r.itemId)).toEqual([done, first, second].sort());
    expect((await c.progress()).submissions).toBe(3);
    // Once the server answers, the page counts the earlier item the server has (3 done) and holds two new ones.
    await expect(page.getByText('3 / 5 done')).toBeVisible();
    await expect.poll(async () => [done, first, second].includes((await ws.state()).itemId)).toBe(false);
  } finally {
    await c.stop();
  }
});

test('going back to a submitted item and submitting it again sends the revision; the server keeps the newest', async ({ browser }) => {
  const c = await Collection.start({ items: 4, k: 1 });
  try {
    const links = await c.invite(['alice']);
    const { page, ws } = await openPage(browser, links.get('alice')!);
    const first = await labelAndSubmit(ws, 1);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    await page.getByRole('button', { name: 'Previous item' }).click();
    await expect.poll(async () => (await ws.state()).itemId).toBe(first);
    expect((await ws.state()).scores.overall).toBe(5);
    await ws.score('Overall', 1);
    await ws.submitButton().click();
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    await expect
      .poll(async () => ((await c.records('alice')) as unknown as { itemId: string; scores: { overall: number } }[]).map((r) => [r.itemId, r.scores.overall]))
      .toEqual([[first, 1]]);
    expect((await c.progress()).submissions).toBe(1);
  } finally {
    await c.stop();
  }
});

test('an image that could not be loaded (the connection dropped) is tried again, and appears once it can be, on the same item', async ({ browser }) => {
  const c = await Collection.start({ items: 2, k: 1 });
  try {
    const links = await c.invite(['alice']);
    const images = '**/api/v1/images/**';
    const cut = (route: Route) => route.abort('internetdisconnected');
    const { page, ws } = await openPage(browser, links.get('alice')!, async (context) => {
      await drivenClock(context);
      await context.route(images, cut);
    });
    // Said in words: no address, no signature, no field path.
    await expect(page.getByRole('alert')).toHaveText('The image could not be loaded (the connection to the server may have dropped). Trying again…');
    const { itemId } = await ws.state();

    await page.context().unroute(images, cut);
    await skipWaits(page);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await ws.waitForImage();
    expect((await ws.state()).itemId).toBe(itemId);
  } finally {
    await c.stop();
  }
});

test('a submission made while the previous one is being sent is counted until it arrives: the count never says All saved while one waits', async ({ browser }) => {
  const c = await Collection.start({ items: 4, k: 1 });
  try {
    const { page, ws } = await signIn(browser, c, 'alice');
    await holdsNextItem(ws);
    // Every text the indicator shows, in order (a MutationObserver sees each render).
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      const read = () => document.querySelector('[aria-label="Submissions"]')?.textContent ?? '';
      w.seen = [read()];
      new MutationObserver(() => {
        if (w.seen.at(-1) !== read()) w.seen.push(read());
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const seen = () => page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    // The server's answers to POST /submissions are held until the test lets each go.
    const held: Route[] = [];
    await page.route('**/api/v1/submissions', (route) => (route.request().method() === 'POST' ? void held.push(route) : route.continue()));

    const first = await labelAndSubmit(ws, 1);
    await expect.poll(() => held.length).toBe(1);
    await expect.poll(async () => (await ws.state()).itemId).not.toBe(first);
    const second = await labelAndSubmit(ws, 2);
    await expect(outboxStatus(page)).toHaveText('Submissions: 2 waiting');
    await held[0]!.continue();
    await expect.poll(() => held.length).toBe(2);
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    await held[1]!.continue();
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    const texts = await seen();
    expect(texts[0]).toBe('Submissions: All saved');
    expect(texts.at(-1)).toBe('Submissions: All saved');
    expect(texts.slice(1, -1)).not.toContain('Submissions: All saved');
    expect(texts).toContain('Submissions: 2 waiting');
    expect((await c.records('alice')).map((r) => r.itemId)).toEqual([first, second].sort());
  } finally {
    await c.stop();
  }
});
