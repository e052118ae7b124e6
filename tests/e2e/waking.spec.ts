/**
 * Issue 21 item 6: items that come back reach an annotator who waits with nothing to do, at once,
 * not after the lease's full Retry-After (or never, when nobody held a lease): the lead revokes
 * or rejects someone, and the waiting page opens the freed item by itself. A new annotator with
 * nothing to do reads that there is nothing yet, not "All done – you submitted 0 items".
 */
import { Collection, nextByApi, submitByApi } from './collection.ts';
import { openPage } from './collectPages.ts';
import { expect, seriousA11yViolations, test } from './fixtures.ts';

/** The next item for `token` through the API; submitted too when `submit`. */
async function take(c: Collection, token: string, submit: boolean): Promise<string> {
  const item = await nextByApi(c, token);
  if (submit) {
    await submitByApi(c, token, item, {
      points: [],
      misalignedTokens: [],
      scores: { plausibility: 3, alignment: 3, aesthetics: 3, overall: 3 },
      submittedAt: new Date().toISOString(),
      activeMs: 10_000,
    });
  }
  return item.id;
}

test('a waiting annotator gets a freed item at once: after a revoke (a lease held for 30 min) and after a reject (nobody holds anything)', async ({ browser }) => {
  test.setTimeout(120_000);
  const c = await Collection.start({ items: 2, k: 1, args: ['--lease', '30m'] });
  try {
    const links = await c.invite(['alice', 'bob', 'carol']);
    const tokenOf = (id: string) => new URL(links.get(id)!).searchParams.get('invite')!;
    // Alice submits the first item and holds the second (a 30-minute lease).
    const first = await take(c, tokenOf('alice'), true);
    await take(c, tokenOf('alice'), false);

    const { page, ws } = await openPage(browser, links.get('bob')!);
    // Nothing for bob: not "All done, you submitted 0 items".
    await expect(page.getByRole('heading', { name: 'Nothing to do yet' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'All done' })).toHaveCount(0);
    expect(await seriousA11yViolations(page)).toEqual([]);

    // The lead revokes alice: her leased item opens on bob's page by itself, well before 30 min.
    await c.api('DELETE', '/invites/alice');
    await ws.waitForImage();
    expect((await c.progress()).annotators.find((a) => a.id === 'bob')!.leased).toBe(1);

    // Carol waits too; the lead rejects alice: the item she submitted goes to carol.
    const other = await openPage(browser, links.get('carol')!);
    await expect(other.page.getByRole('heading', { name: 'Nothing to do yet' })).toBeVisible();
    await c.api('POST', '/annotators/alice/reject', { reason: 'test' });
    await other.ws.waitForImage();
    expect((await other.ws.state()).itemId).toBe(first);

    // Alice, rejected, is thanked rather than shown an error (her invite was revoked too: thanks win).
    const rejected = await openPage(browser, links.get('alice')!);
    await expect(rejected.page.getByRole('heading', { name: 'Thank you' })).toBeVisible();
    await expect(rejected.page.getByText('The project lead has closed your part in this project')).toBeVisible();
    await expect(rejected.page.getByRole('alert')).toHaveCount(0);
    expect(await seriousA11yViolations(rejected.page)).toEqual([]);
  } finally {
    await c.stop();
  }
});
