/**
 * The annotator's end of the work on a real `richhf serve`: the "All done" screen is the same
 * screen with the same actions (export the file, review and revise what was submitted, sign
 * out) whether it was reached in this visit, after a reload or in another browser.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { Collection } from './collection.ts';
import { labelAndSubmit, openPage, outboxStatus } from './collectPages.ts';
import { expect, seriousA11yViolations, test, type Workspace } from './fixtures.ts';

interface ExportedFile {
  annotator: string;
  annotations: { itemId: string; scores: { overall: number } }[];
}

/** Exports the annotator's file from the All done screen and returns it. */
async function exportFromFinished(page: Page): Promise<ExportedFile> {
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export annotations' }).click();
  return JSON.parse(await readFile((await (await download).path())!, 'utf8')) as ExportedFile;
}

/** The All done screen, its counts and its actions; Review my submissions opens a submitted item. */
async function expectFinishedScreen(page: Page, ws: Workspace, submitted: readonly string[]): Promise<ExportedFile> {
  await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Your work on this pack' })).toContainText(`You submitted ${submitted.length} items`);
  await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const file = await exportFromFinished(page);
  expect(file.annotator).toBe('alice');
  expect(file.annotations.map((r) => r.itemId).sort()).toEqual([...submitted].sort());
  await page.getByRole('button', { name: 'Review my submissions' }).click();
  await ws.waitForImage();
  expect(submitted).toContain((await ws.state()).itemId);
  return file;
}

test('the All done screen offers Export annotations and Review my submissions in this visit, after a reload and in another browser; a revision after a reload reaches the server', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const c = await Collection.start({ items: 2, k: 1 });
  try {
    const link = (await c.invite(['alice'])).get('alice')!;
    const { page, ws } = await openPage(browser, link);
    const submitted = [await labelAndSubmit(ws, 1), await labelAndSubmit(ws, 2)];
    expect(await seriousA11yViolations(page)).toEqual([]);
    await expectFinishedScreen(page, ws, submitted);

    // After a reload: the same screen and actions, and a submitted item can still be revised.
    await page.reload();
    await expectFinishedScreen(page, ws, submitted);
    const { itemId } = await ws.state();
    await ws.score('Overall', 1);
    await ws.submitButton().click();
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    const onServer = (await c.api<ExportedFile>('GET', '/export/annotations?annotator=alice')).annotations;
    expect(onServer.find((r) => r.itemId === itemId)?.scores.overall).toBe(1);
    expect(onServer).toHaveLength(2);

    // In another browser, signed in with the same link: the same screen, with the revision.
    const other = await openPage(browser, link);
    const file = await expectFinishedScreen(other.page, other.ws, submitted);
    expect(file.annotations.find((r) => r.itemId === itemId)?.scores.overall).toBe(1);
  } finally {
    await c.stop();
  }
});
