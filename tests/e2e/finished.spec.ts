/**
 * The end of a pack: after the last item is submitted the annotator sees a finished screen with
 * the counts and a button to export their file; no key changes anything there; they can go back
 * to the items, and a reload finds the finished screen again.
 */
import { readFile } from 'node:fs/promises';
import { expect, forEachViewport, keepScreenshot, seriousA11yViolations, test } from './fixtures.ts';
import { demoPack, servePack } from './packs.ts';

forEachViewport((vp) => {
  test('after the last item a finished screen shows the counts and exports the file', async ({ page, workspace: ws }, testInfo) => {
    await ws.start(`fin-${vp.name}`, await servePack(page, demoPack(3, 'three-items')));
    await ws.clickImage(100, 100);
    for (const keys of ['3333', '4444']) {
      for (const k of keys) await page.keyboard.press(k);
      await page.keyboard.press('Enter');
    }
    await expect(page.getByText('2 / 3 done')).toBeVisible();
    for (const s of ['Plausibility', 'Alignment', 'Aesthetics', 'Overall']) await ws.score(s, 5);
    await ws.submitButton().click();

    const finished = page.getByRole('heading', { name: 'All 3 items are done' });
    await expect(finished).toBeVisible();
    await expect(finished).toBeFocused();
    await expect(page.getByRole('img', { name: /^Image to annotate/ })).toHaveCount(0);
    const counts = page.getByRole('list', { name: 'Your work on this pack' });
    await expect(counts).toContainText('3 of 3 items submitted');
    await expect(counts).toContainText('1 point');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await keepScreenshot(page, testInfo, `finished-${vp.width}`);

    // Keys do nothing here: nothing is shown that they could change.
    for (const k of ['1', 'Enter', 'Delete', 'Control+z', 'PageUp']) await page.keyboard.press(k);
    await expect(finished).toBeVisible();

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export annotations' }).click();
    const file = JSON.parse(await readFile((await (await download).path())!, 'utf8'));
    expect(file.annotations.map((r: { itemId: string }) => r.itemId).sort()).toEqual(['0001', '0002', '0003']);
    expect(file.annotations.find((r: { itemId: string }) => r.itemId === '0003').scores).toEqual({ plausibility: 5, alignment: 5, aesthetics: 5, overall: 5 });

    // A reload comes back to the finished screen; the annotator can still revise an item.
    await ws.whenSaved();
    await page.reload();
    await expect(finished).toBeVisible();
    await page.getByRole('button', { name: 'Back to the items' }).click();
    await ws.waitForImage();
    const s = await ws.state();
    expect(s.scores).toEqual({ plausibility: 5, alignment: 5, aesthetics: 5, overall: 5 });
    expect(s.itemId).toBe('0003');
  });
});
