/**
 * Training items on a real `richhf serve` (issue 17): after Submit on a training item the page
 * shows the reference beside the annotator's answer (discs over the image with a legend, words,
 * scores against the reference range, the explanation), reached by keyboard, axe-clean, on a
 * phone too; an ordinary item never does; nothing before Submit tells the gold item apart.
 */
import type { Page } from '@playwright/test';
import { Collection } from './collection.ts';
import { labelAndSubmit, openPage, outboxStatus } from './collectPages.ts';
import { expect, seriousA11yViolations, test } from './fixtures.ts';

const REFERENCE = {
  points: [{ kind: 'artifact', x: 120, y: 140 }],
  misalignedTokens: [0],
  scores: { plausibility: 4, alignment: 4, aesthetics: 3, overall: 4 },
  explanation: 'The left hand has six fingers.',
};
const FEEDBACK = 'Training item: your answer and the reference';

async function noHorizontalScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll).toBeLessThanOrEqual(width);
}

test('a training item shows the reference discs, words and scores after Submit; an ordinary item never does', async ({ browser }) => {
  test.setTimeout(120_000);
  // Item 3 is gold; each annotator's first item is a training item, and no gold after training.
  const c = await Collection.start({ items: 3, k: 1, gold: new Map([[2, REFERENCE]]), quality: { training: 1, goldEvery: 0 } });
  try {
    const links = await c.invite(['alice', 'bob']);
    const { page, ws } = await openPage(browser, links.get('alice')!);
    await ws.waitForImage();
    // Before Submit: an opaque id like every other, and no reference anywhere on the page.
    expect((await ws.state()).itemId).toMatch(/^i[A-Za-z0-9_-]{22}$/);
    await expect(page.getByText('six fingers')).toHaveCount(0);
    // The top bar names the item by its place, not by the opaque id.
    await expect(page.getByText('no. 1', { exact: true })).toBeVisible();
    await labelAndSubmit(ws, 1);

    await expect(page.getByRole('heading', { name: FEEDBACK })).toBeVisible();
    const continueButton = page.getByRole('button', { name: 'Continue' });
    await expect(continueButton).toBeFocused();
    // Discs: theirs and the reference's, distinct, with a legend.
    await expect(page.locator('circle.disc-yours')).toHaveCount(1);
    await expect(page.locator('circle.disc-reference')).toHaveCount(1);
    await expect(page.getByRole('listitem').filter({ hasText: 'Your points: 1' })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: 'Reference points: 1' })).toBeVisible();
    // Words: the reference marked the first token (labelAndSubmit marks the second for seed 1).
    const words = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Word' }) });
    await expect(words.getByRole('row')).toHaveCount(3);
    await expect(words.getByRole('row').nth(1).getByRole('cell')).toHaveText(['–', 'marked']);
    await expect(words.getByRole('row').nth(2).getByRole('cell')).toHaveText(['marked', '–']);
    // Scores: labelAndSubmit(1) gave 2, 3, 4, 5.
    const scores = page.getByRole('table').filter({ has: page.getByRole('columnheader', { name: 'Reference range' }) });
    await expect(scores.getByRole('row', { name: /Plausibility/ }).getByRole('cell')).toHaveText(['2', '3 to 5 (4) – outside']);
    await expect(scores.getByRole('row', { name: /Aesthetics/ }).getByRole('cell')).toHaveText(['4', '2 to 4 (3) – within']);
    await expect(page.getByText(REFERENCE.explanation)).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Continue by keyboard: back to the work; the ordinary items never show feedback.
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: FEEDBACK })).toHaveCount(0);
    for (const seed of [2, 3]) {
      await labelAndSubmit(ws, seed);
      await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
      await expect(page.getByRole('heading', { name: FEEDBACK })).toHaveCount(0);
    }
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    await page.context().close();

    // On a phone: the same feedback, in one column, axe-clean.
    const phone = await openPage(browser, links.get('bob')!, undefined, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await phone.ws.waitForImage();
    await labelAndSubmit(phone.ws, 4);
    await expect(phone.page.getByRole('heading', { name: FEEDBACK })).toBeVisible();
    await noHorizontalScroll(phone.page);
    expect(await seriousA11yViolations(phone.page)).toEqual([]);
    await phone.page.getByRole('button', { name: 'Continue' }).click();
    await expect(phone.page.getByRole('heading', { name: 'All done' })).toBeVisible();
  } finally {
    await c.stop();
  }
});
