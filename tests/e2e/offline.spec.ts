/**
 * The app's service worker (issue 21): a reload or a new tab without the network opens the app,
 * not the browser's error page, on the work the browser holds (the held items with their images
 * and the outbox on a collection server; the demo pack in a static build); and a new version never
 * changes the screen under an annotator: it waits for the next item change, then the page reloads
 * into it on the same work, and what waited in the outbox is sent.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { Collection } from './collection.ts';
import { holdsNextItem, labelAndSubmit, openPage, outboxStatus } from './collectPages.ts';
import { expect, test, Workspace } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ALLOW = { serviceWorkers: 'allow' } as const;

/** Waits until the app's service worker controls the page, then reloads it once, so everything it shows came through the worker. */
async function underServiceWorker(page: Page, ws: Workspace) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.reload();
  await ws.waitForImage();
}

test('on a collection server, a reload and a new tab without the network open on the held items and the outbox; back online it is sent', async ({ browser }) => {
  test.setTimeout(180_000);
  const c = await Collection.start({ items: 4, k: 1 });
  try {
    const invite = (await c.invite(['olga'])).get('olga')!;
    const { page, ws } = await openPage(browser, invite, undefined, ALLOW);
    await ws.waitForImage();
    await underServiceWorker(page, ws);
    await holdsNextItem(ws);
    const first = (await ws.state()).itemId;

    await page.context().setOffline(true);
    await page.reload();
    await ws.waitForImage();
    expect((await ws.state()).itemId).toBe(first);
    const submitted = await labelAndSubmit(ws, 1);
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    // The next item held, with its image, offline.
    await ws.waitForImage();
    expect((await ws.state()).itemId).not.toBe(submitted);

    // A new tab, offline: the app opens (here it says the work is open in the other tab).
    const second = await page.context().newPage();
    await second.goto(`${c.url}/`);
    await expect(second.getByRole('heading', { name: /open in another tab/i })).toBeVisible();
    await second.close();

    await page.context().setOffline(false);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    expect((await c.records('olga')).map((r) => r.itemId)).toEqual([submitted]);
  } finally {
    await c.stop();
  }
});

test('a static build reloads offline on the demo pack, at the same item', async ({ browser }) => {
  const context = await browser.newContext(ALLOW);
  const page = await context.newPage();
  const ws = new Workspace(page);
  await ws.start('otto');
  await ws.clickImage(100, 100);
  await underServiceWorker(page, ws);
  await context.setOffline(true);
  await page.reload();
  await ws.waitForImage();
  const s = await ws.state();
  expect(s.itemId).toBe('0001');
  expect(s.points).toHaveLength(1);
  await expect(page.getByRole('img', { name: /^Image to annotate, 1 point placed/ })).toBeVisible();
  await context.close();
});

test('a new version waits for the next item change, then the page reloads into it; the waiting submission is sent', async ({ browser }) => {
  test.setTimeout(180_000);
  // The app as the lead deployed it, in a folder of its own that the test can update.
  const app = path.join(mkdtempSync(path.join(os.tmpdir(), 'richhf-e2e-app-')), 'dist');
  cpSync(path.join(ROOT, 'dist'), app, { recursive: true });
  const c = await Collection.start({ items: 4, k: 1, args: ['--app', app] });
  try {
    const invite = (await c.invite(['ugo'])).get('ugo')!;
    const { page, ws } = await openPage(browser, invite, undefined, ALLOW);
    await ws.waitForImage();
    await underServiceWorker(page, ws);
    await holdsNextItem(ws);
    await page.evaluate(() => ((window as unknown as { version: string }).version = 'old'));

    // A new version is deployed (its service worker differs) while the annotator labels an item.
    writeFileSync(path.join(app, 'sw.js'), readFileSync(path.join(app, 'sw.js'), 'utf8') + '\n// a new version\n');
    await ws.clickImage(120, 140);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    await page.waitForFunction(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting !== null && r?.waiting !== undefined));
    // Waiting, not applied: the same page, the point still there, nothing reloaded.
    expect(await page.evaluate(() => (window as unknown as { version?: string }).version)).toBe('old');
    expect((await ws.state()).points).toHaveLength(1);

    // Submit is the moment: the page reloads into the new version, on the next item; the submission arrives.
    await c.stop();
    const submitted = await labelAndSubmit(ws, 2);
    await page.waitForFunction(() => (window as unknown as { version?: string }).version === undefined);
    await ws.waitForImage();
    expect((await ws.state()).itemId).not.toBe(submitted);
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    await c.restart();
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved', { timeout: 45_000 });
    expect((await c.records('ugo')).map((r) => r.itemId)).toEqual([submitted]);
  } finally {
    await c.stop();
  }
});
