/**
 * Tokens that do not work, against a real `richhf serve`: a revoked invite, an unknown one, a
 * damaged link, and a submission the server refuses (409). Each shows the server's message on
 * a page that says what to do, and nothing stored in the browser is lost.
 */
import { readFileSync } from 'node:fs';
import { Collection, LEAD_TOKEN } from './collection.ts';
import { holdsNextItem, labelAndSubmit, openPage, outboxStatus, signIn, storedOutbox } from './collectPages.ts';
import { expect, seriousA11yViolations, test } from './fixtures.ts';

test('an unknown token and a damaged link get a page that says so; a good link signs in, Sign out signs out', async ({ browser }) => {
  const c = await Collection.start({ items: 2, k: 1 });
  try {
    const { page, ws } = await openPage(browser, `${c.url}/?invite=no-such-token-here`);
    await expect(page.getByRole('heading', { name: 'This invite link does not work' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('This token is not known to this server: ask the project lead for a new invite link.');
    expect(page.url()).toBe(`${c.url}/`);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto(`${c.url}/?invite=${encodeURIComponent('bad token!')}`);
    await expect(page.getByRole('alert')).toHaveText(/^This invite link is damaged \(its token is not a token\)/);

    // A good link signs in; Sign out forgets the token, and the page says so (a reload stays signed out: the server's own page).
    const link = (await c.invite(['dana'])).get('dana')!;
    await page.goto(link);
    await ws.waitForImage();
    await expect(page.getByTitle('Annotator')).toHaveText('dana');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
    await expect(page.getByText('To sign in, open the invite link your project lead sent you.')).toBeVisible();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Collection server' })).toBeVisible();
  } finally {
    await c.stop();
  }
});

test('revoked by the lead while working: the page says so, and the submission made after it is kept, not lost', async ({ browser }) => {
  const c = await Collection.start({ items: 3, k: 1 });
  try {
    const links = await c.invite(['alice']);
    const { page, ws } = await openPage(browser, links.get('alice')!);
    await labelAndSubmit(ws, 1);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');

    const { page: lead } = await openPage(browser, `${c.url}/?lead=${LEAD_TOKEN}#/review`);
    await lead.getByRole('button', { name: 'Revoke alice' }).click();
    await lead.getByRole('button', { name: 'Confirm: revoke alice' }).click();
    await expect(lead.getByRole('table', { name: 'Annotators' }).getByRole('row', { name: /alice/ })).toContainText('Revoked');

    const second = await labelAndSubmit(ws, 2);
    await expect(page.getByRole('heading', { name: 'This invite link does not work' })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveText('This invite was revoked by the project lead; ask them if you should still be working.');
    await expect(page.getByText('1 submission by alice waits in this browser')).toBeVisible();
    expect(await storedOutbox(page)).toEqual([{ annotator: 'alice', itemId: second, refusal: null }]);
    // The annotator can hand it to the lead as a file.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download it' }).click();
    const file = JSON.parse(readFileSync((await (await download).path())!, 'utf8')) as { format: string; annotator: string; annotations: { itemId: string }[] };
    expect([file.format, file.annotator, file.annotations.map((r) => r.itemId)]).toEqual(['richhf-annotations', 'alice', [second]]);
    // The submitted work stays on the server; a reload shows the same page (the token is kept until Sign out).
    expect((await c.records('alice')).length).toBe(1);
    await page.reload();
    await expect(page.getByRole('alert')).toHaveText('This invite was revoked by the project lead; ask them if you should still be working.');
    expect(await storedOutbox(page)).toHaveLength(1);
  } finally {
    await c.stop();
  }
});

test("a submission the server refuses (409: its item left the pack) shows the server's message and stays in the browser", async ({ browser }) => {
  test.setTimeout(120_000);
  const c = await Collection.start({ items: 3, k: 1 });
  try {
    const { page, ws } = await signIn(browser, c, 'alice');
    // The next item's image too, so that no image error shares the page with the refusal below.
    await holdsNextItem(ws);
    await c.stop();
    const gone = await labelAndSubmit(ws, 1);
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    // The lead takes that item out of the pack (it had no submission yet) and starts the server again.
    c.writePack({ ...c.pack, items: c.pack.items.filter((i) => i.id !== gone) });
    await c.restart();

    const refused = page.getByText('1 not accepted');
    await expect(refused).toBeVisible({ timeout: 45_000 });
    await refused.click();
    const message = `itemId: "${gone}" is not an item of pack "${c.pack.name}", so it was never assigned to you`;
    await expect(page.getByRole('alert')).toContainText(`Item ${gone}: ${message}`);
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    expect(await storedOutbox(page)).toEqual([{ annotator: 'alice', itemId: gone, refusal: message }]);
    // Still kept after a reload; the rest of the work goes on.
    await page.reload();
    await ws.waitForImage();
    expect(await storedOutbox(page)).toEqual([{ annotator: 'alice', itemId: gone, refusal: message }]);
    await expect(page.getByText('1 not accepted')).toBeVisible();
  } finally {
    await c.stop();
  }
});
