/**
 * A crowd study on a real `richhf serve` (issue 16): a participant opens the study link with
 * Prolific's parameters, labels up to the quota and gets the completion code only once the
 * server has everything; the same link in another browser continues as the same annotator; a
 * link without a participant id asks for one; a full study says so.
 */
import { Collection, LEAD_TOKEN } from './collection.ts';
import { drivenClock, labelAndSubmit, openPage, outboxHolds, outboxStatus, skipWaits, storedOutbox } from './collectPages.ts';
import { expect, test, Workspace } from './fixtures.ts';

interface Study {
  id: string;
  token: string;
  url: string;
}

const PID = '5f3a9c2e8b1d4e0012345678';

test('a participant labels up to the quota; the code appears only after the server is back and the outbox has emptied; another browser continues as the same annotator', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const c = await Collection.start({ items: 4, k: 1 });
  try {
    const { study } = await c.api<{ study: Study }>('POST', '/studies', {
      name: 'Pilot',
      quota: 2,
      completionCode: 'C1A2B3C4',
      completionUrl: 'https://app.prolific.com/submissions/complete?cc={code}',
    });
    const link = `${study.url}&PROLIFIC_PID=${PID}&STUDY_ID=s&SESSION_ID=x`;
    const { page, ws } = await openPage(browser, link, drivenClock);
    await ws.waitForImage();
    // The study's token left the address bar at once; the sign-in is kept as an invite's.
    expect(page.url()).not.toContain(study.token);
    expect(page.url()).not.toContain('PROLIFIC_PID');
    const annotator = `study:${study.id}:${PID}`;
    const first = await labelAndSubmit(ws, 1);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');

    // The same link in a fresh browser: the same annotator, the same work.
    const other = await openPage(browser, link);
    await other.ws.waitForImage();
    expect((await c.progress()).annotators.map((a) => a.id)).toEqual([annotator]);
    expect((await c.records(annotator)).map((r) => r.itemId)).toEqual([first]);
    await other.page.context().close();

    // The last item's submission waits while the server is stopped: no code.
    await expect.poll(async () => (await ws.state()).itemId).not.toBe(first);
    await c.stop();
    const second = await labelAndSubmit(ws, 2);
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    await outboxHolds(page, [second]);
    await expect(page.getByText('C1A2B3C4')).toHaveCount(0);

    await c.restart();
    await skipWaits(page);
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible({ timeout: 20_000 });
    const completion = page.getByRole('region', { name: 'Completion code' });
    await expect(completion).toContainText('Your completion code: C1A2B3C4', { timeout: 20_000 });
    expect(await storedOutbox(page)).toEqual([]);
    await expect(completion.getByRole('link', { name: 'Return to the study platform' })).toHaveAttribute('href', 'https://app.prolific.com/submissions/complete?cc=C1A2B3C4');
    expect((await c.records(annotator)).map((r) => r.itemId).sort()).toEqual([first, second].sort());
    const { participants } = await c.api<{ participants: { prolificPid: string; prolificSessionId: string; itemsSubmitted: number; status: string }[] }>(
      'GET',
      '/export/participants',
    );
    expect(participants).toMatchObject([{ prolificPid: PID, prolificSessionId: 'x', itemsSubmitted: 2, status: 'completed' }]);
  } finally {
    await c.stop();
  }
});

test('a study link without a participant id asks for one; a full study says so', async ({ browser }) => {
  test.setTimeout(90_000);
  const c = await Collection.start({ items: 3, k: 1 });
  try {
    const { study } = await c.api<{ study: Study }>('POST', '/studies', { name: 'Small', maxParticipants: 1 });
    const { page, ws } = await openPage(browser, study.url);
    const id = page.getByRole('textbox', { name: 'Your participant ID' });
    await id.fill('not valid!');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByRole('alert')).toContainText('may hold only letters, digits');
    await id.fill('volunteer-7');
    await page.getByRole('button', { name: 'Start' }).click();
    await ws.waitForImage();
    expect((await c.progress()).annotators.map((a) => a.id)).toEqual([`study:${study.id}:volunteer-7`]);

    const late = await openPage(browser, `${study.url}&participant=volunteer-8`);
    await expect(late.page.getByRole('heading', { name: 'You cannot take part in this study' })).toBeVisible();
    await expect(late.page.getByRole('alert')).toContainText('this study is full');
  } finally {
    await c.stop();
  }
});

test('the dashboard makes a study, its link is copyable, participants appear live, and closing it turns new participants away', async ({ browser }) => {
  test.setTimeout(90_000);
  const c = await Collection.start({ items: 3, k: 1 });
  try {
    const { page: lead } = await openPage(browser, `${c.url}/?lead=${LEAD_TOKEN}#/review`);
    const form = lead.getByRole('form', { name: 'New study' });
    await form.getByRole('textbox', { name: 'Study name' }).fill('Pilot');
    await form.getByRole('spinbutton', { name: 'Items per participant' }).fill('2');
    await form.getByRole('textbox', { name: 'Completion code' }).fill('CODE42');
    await form.getByRole('button', { name: 'Create study' }).click();
    const study = lead.getByRole('region', { name: 'Study Pilot' });
    const link = await study.getByRole('textbox', { name: 'Link of study Pilot' }).inputValue();
    expect(link).toMatch(new RegExp(`^${c.url}/\\?study=`));
    await expect(study.getByRole('button', { name: 'Copy link' })).toBeVisible();
    await expect(study).toContainText('2 items per participant');

    const participant = await openPage(browser, `${link}&PROLIFIC_PID=${PID}&STUDY_ID=s&SESSION_ID=x`);
    await participant.ws.waitForImage();
    await labelAndSubmit(participant.ws, 1);
    const row = study.getByRole('table', { name: 'Participants of Pilot' }).getByRole('row', { name: new RegExp(PID) });
    await expect(row).toContainText('session x');
    await expect(row.getByRole('cell').nth(1)).toHaveText('1');

    await study.getByRole('button', { name: 'Close study' }).click();
    await expect(study).toContainText('closed');
    const late = await openPage(browser, `${link}&participant=latecomer`);
    await expect(late.page.getByRole('alert')).toContainText('this study is closed');
  } finally {
    await c.stop();
  }
});

test('"Preview as a participant" opens the study as a participant of the lead\'s own, to the completion code; their work counts nowhere', async ({ browser }) => {
  test.setTimeout(90_000);
  const c = await Collection.start({ items: 3, k: 1 });
  try {
    await c.api('POST', '/studies', { name: 'Pilot', quota: 1, completionCode: 'CODE42' });
    const { page: lead } = await openPage(browser, `${c.url}/?lead=${LEAD_TOKEN}#/review`);
    const study = lead.getByRole('region', { name: 'Study Pilot' });
    const opened = lead.waitForEvent('popup');
    await study.getByRole('button', { name: 'Preview as a participant' }).click();
    const tab = await opened;
    const ws = new Workspace(tab);
    await ws.waitForImage();
    await labelAndSubmit(ws, 1);
    await expect(tab.getByRole('region', { name: 'Completion code' })).toContainText('Your completion code: CODE42', { timeout: 20_000 });
    await expect(study.getByRole('link', { name: 'open it again' })).toBeVisible();

    // The study still has no participant, and no item is done.
    await expect(study).toContainText('0 participants, 0 completed. 1 item per participant.');
    await expect(study.getByRole('table', { name: 'Participants of Pilot' })).toHaveCount(0);
    expect(await c.progress()).toMatchObject({ completeItems: 0, annotators: [{ id: 'study:s1:preview-1', submitted: 1, rejectedSubmissions: 1 }] });
  } finally {
    await c.stop();
  }
});
