/**
 * The lead's quality table on a collection server's dashboard (issue 17): the server's
 * GET /quality, live and sortable, with Reject and Accept per annotator (the item goes back to
 * the queue, the decision is kept on the server) and thresholds kept on the server. Axe-clean.
 */
import { Collection, LEAD_TOKEN, nextByApi, submitByApi } from './collection.ts';
import { openPage } from './collectPages.ts';
import { expect, seriousA11yViolations, test } from './fixtures.ts';

/** `n` items claimed and answered by `token` through the API, each with the same scores. */
async function submitSome(c: Collection, token: string, n: number): Promise<void> {
  for (let k = 0; k < n; k++) {
    const item = await nextByApi(c, token);
    await submitByApi(c, token, item, {
      points: [{ kind: 'artifact', x: 10, y: 20 + k }],
      misalignedTokens: [0],
      scores: { plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 },
      submittedAt: new Date(Date.UTC(2026, 11, 1, 10, 0, k)).toISOString(),
      activeMs: 30_000,
    });
  }
}

test('the dashboard shows the server’s quality table live; Reject sends the items back to the queue, Accept undoes it; thresholds are kept on the server', async ({ browser }) => {
  test.setTimeout(120_000);
  const c = await Collection.start({ items: 2, k: 1 });
  try {
    const links = await c.invite(['alice', 'bob']);
    const tokenOf = (id: string) => new URL(links.get(id)!).searchParams.get('invite')!;
    await submitSome(c, tokenOf('alice'), 2);
    const { page } = await openPage(browser, `${c.url}/?lead=${LEAD_TOKEN}#/review`);
    const table = page.getByRole('table', { name: 'Annotator quality' });
    await expect(table.getByRole('rowheader')).toHaveText(['alice', 'bob']);
    await expect(page.getByRole('status').filter({ hasText: 'annotators,' })).toHaveText('2 annotators, 0 flagged, 0 rejected.');

    // Sortable: by annotator (ascending at first), then descending.
    await table.getByRole('button', { name: 'Annotator' }).click();
    await expect(table.getByRole('rowheader')).toHaveText(['bob', 'alice']);

    // Bob has nothing to do (K = 1, alice did both); rejecting alice gives him her items.
    expect((await fetch(`${c.url}/api/v1/next`, { headers: { Authorization: `Bearer ${tokenOf('bob')}` } })).status).toBe(204);
    await page.getByRole('button', { name: 'Reject alice' }).click();
    await expect(page.getByRole('button', { name: 'Accept alice again' })).toBeVisible();
    await expect(table.getByRole('rowheader', { name: 'alice (rejected)' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'annotators,' })).toHaveText('2 annotators, 0 flagged, 1 rejected.');
    expect(await seriousA11yViolations(page)).toEqual([]);
    const decisions = await c.api<{ decisions: { action: string; annotator: string; reason: string }[] }>('GET', '/quality/decisions');
    expect(decisions.decisions).toMatchObject([{ action: 'reject', annotator: 'alice', reason: 'rejected by the lead on the dashboard' }]);
    expect((await fetch(`${c.url}/api/v1/next`, { headers: { Authorization: `Bearer ${tokenOf('bob')}` } })).status).toBe(200);

    await page.getByRole('button', { name: 'Accept alice again' }).click();
    await expect(page.getByRole('button', { name: 'Reject alice' })).toBeVisible();

    // Thresholds go to the server: with "at least 1 item", alice's identical scores are flagged.
    await page.getByText('Flag thresholds').click();
    await page.getByRole('spinbutton', { name: 'given at least this many items' }).fill('1');
    await expect.poll(async () => (await c.api<{ minItems: number }>('GET', '/quality/thresholds')).minItems).toBe(1);
    await expect(table.getByRole('row').filter({ hasText: 'same-scores' })).toHaveCount(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
  } finally {
    await c.stop();
  }
});
