/**
 * When the browser's storage fails (a private window, storage turned off, a full disk), every
 * page says so and keeps working where it can: nothing hangs on "Opening your work…", no
 * promise is left rejected unhandled.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/** IndexedDB refuses to open, as it does when storage is turned off for the site. */
async function breakIndexedDb(page: Page) {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'UnknownError');
    };
  });
}

/** Uncaught errors and unhandled rejections of the page, collected for the test to check. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('the annotator is told when their work cannot be opened', async ({ page }) => {
  const errors = pageErrors(page);
  await breakIndexedDb(page);
  await page.goto('/');
  await page.getByRole('textbox', { name: 'Annotator ID' }).fill('uma');
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('heading', { name: 'Your saved work could not be opened.' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText("the browser's storage failed");
  await expect(page.getByRole('alert')).toContainText('denied permission');
  await expect(page.getByText('Opening your work…')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a write that fails is shown as not saved', async ({ page, workspace: ws }) => {
  const errors = pageErrors(page);
  await ws.start('vera');
  await expect(page.getByText('Saved', { exact: true })).toBeVisible();
  await page.evaluate(() => {
    IDBObjectStore.prototype.put = () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    };
  });
  await ws.clickImage(100, 100);
  await expect(page.getByRole('alert')).toContainText("Not saved: this browser's storage for the site is full");
  expect(errors).toEqual([]);
});

test('the review page works without storage and says that imports are not kept', async ({ page, review }) => {
  const errors = pageErrors(page);
  await breakIndexedDb(page);
  await review.open();
  await expect(page.getByRole('alert')).toContainText("The files imported before could not be read from this browser's storage");
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);

  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'richhf-storage-')), 'wes.json');
  const record = {
    itemId: '0001',
    imageWidth: 512,
    imageHeight: 512,
    points: [{ kind: 'artifact', x: 10, y: 20 }],
    misalignedTokens: [],
    scores: { plausibility: 3, alignment: 4, aesthetics: 2, overall: 3 },
    submittedAt: '2026-01-02T03:04:05.000Z',
    activeMs: 1000,
  };
  writeFileSync(file, JSON.stringify({ format: 'richhf-annotations', version: 1, annotator: 'wes', pack: 'demo', annotations: [record] }));
  await review.importFiles(file);
  await expect(review.importedFiles()).toContainText('wes.json');
  await expect(page.getByRole('alert')).toContainText('wes.json: imported, but not kept in this browser');
  expect(errors).toEqual([]);
});

test('a stored draft that cannot be read is set aside, and the annotator is told', async ({ page, workspace: ws }) => {
  await ws.start('xena');
  await ws.whenSaved();
  // A draft as a bug or a future version might leave it: not a draft this app can read.
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('richhf-studio');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('drafts', 'readwrite');
          tx.objectStore('drafts').put({ version: 1, itemId: '0002', points: 'garbled' }, ['xena', 'demo', '0002']);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await ws.waitForImage();
  const notice = page.getByRole('alert').filter({ hasText: 'could not be read back' });
  await expect(notice).toContainText('Some of your saved work could not be read back: the draft of item 0002 (draft: ');
  await expect(notice).toContainText('It was set aside in this browser, not deleted');
  // Told once: the value is no longer in the way.
  await ws.whenSaved();
  await page.reload();
  await ws.waitForImage();
  await expect(page.getByRole('alert')).toHaveCount(0);
});
