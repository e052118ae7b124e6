import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { drivenClock, labelAndSubmit, openPage, outboxHolds, outboxStatus, pageSaved, skipWaits, storedOutbox } from './collectPages.ts';
import { LEAD_TOKEN } from './collection.ts';
import { collectResponses } from './responses.ts';
import { demoComparisonFolder } from './comparePack.ts';
import { itemAnswer } from '../../src/core/compare/sides.ts';
import type { TaskPack } from '../../src/core/formats/taskpack.ts';
import { listening, spawnServe, stopServe, type ServeProcess } from '../unit/server/serveProcess.ts';

/**
 * The pair workspace on a collection server (issue 18): `/next` hands out the demo's comparison
 * items with the side the server drew, the annotator judges them by keys and mouse, each Submit
 * goes through the outbox, and the server's report counts what was chosen. The browser never
 * sees a system name, and a submission made while the server is stopped waits and arrives later.
 */
const root = path.resolve(import.meta.dirname, '../..');
const LABELS = ['Left is much better', 'Left is slightly better', 'About the same', 'Right is slightly better', 'Right is much better'];
/** The answer chosen for each pair, in the order the server hands them out, on the screen's scale (-2 = left much better … 2 = right much better). */
const PLAN = [-2, 2, 0, 1, -1, 2];

interface Server {
  readonly url: string;
  readonly pack: TaskPack;
  readonly systems: readonly string[];
  /** The key's systems of each item, by id, in the item's order. */
  readonly systemsOf: ReadonlyMap<string, readonly [string, string]>;
  api<T>(method: string, p: string, body?: unknown): Promise<T>;
  invite(annotator: string): Promise<string>;
  stop(): Promise<void>;
  restart(): Promise<void>;
  remove(): void;
}

/**
 * A real `richhf serve` on the lead's comparison pack (systems named), the demo's images, K = 1;
 * `pairs` keeps its first pairs only, and `ratings` puts the rating demo's first items between them.
 */
async function serve({ pairs = 6, ratings = 0 } = {}): Promise<Server> {
  const { dir, pack, key, lead } = await demoComparisonFolder('richhf-e2e-pairs-server-');
  const rating = (JSON.parse(await readFile(path.join(root, 'public/demo/pack.json'), 'utf8')) as { items: { image: string }[] }).items.slice(0, ratings);
  for (const it of rating) copyFileSync(path.join(root, 'public/demo', it.image), path.join(dir, it.image));
  const items = lead.items.slice(0, pairs).flatMap((it, i) => (rating[i] ? [{ ...rating[i], id: `r${i + 1}` }, it] : [it]));
  writeFileSync(path.join(dir, 'pack.json'), JSON.stringify({ ...lead, annotatorsPerItem: 1, items }));
  let proc: ServeProcess | null = null;
  let url = '';
  const launch = async (port: string) => {
    proc = spawnServe(['--pack', path.join(dir, 'pack.json'), '--db', path.join(dir, 'richhf.db'), '--app', path.join(root, 'dist'), '--port', port], {
      RICHHF_LEAD_TOKEN: LEAD_TOKEN,
    });
    url = await listening(proc);
  };
  await launch('0').catch((e: unknown) => {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}/api/v1${p}`, {
      method,
      headers: { Authorization: `Bearer ${LEAD_TOKEN}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  return {
    get url() {
      return url;
    },
    pack,
    systems: [...new Set(key.items.flatMap((k) => k.systems))],
    systemsOf: new Map(key.items.map((k) => [k.id, k.systems])),
    api,
    async invite(annotator) {
      const { invites } = await api<{ invites: { annotator: string; url: string }[] }>('POST', '/invites', { annotators: [annotator] });
      return invites[0]!.url;
    },
    async stop() {
      if (proc) await stopServe(proc);
      proc = null;
    },
    restart: () => launch(new URL(url).port),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Which image of the item (0 or 1) the page shows on `side`: its signed URL carries the index (`?i=0|1`). */
async function shownIndex(page: Page, side: 'Left' | 'Right'): Promise<number> {
  const src = (await page.getByRole('img', { name: `${side} image` }).getAttribute('src'))!;
  return Number(new URL(src).searchParams.get('i'));
}

/** The id of the item shown, found by its prompt (the page shows no id for a pair). */
async function shownItem(page: Page, pack: TaskPack): Promise<string> {
  const text = (await page.locator('.pairs-prompt').textContent()) ?? '';
  const item = pack.items.find((it) => text.endsWith(it.prompt));
  expect(item, `a pack item with the prompt shown: ${text}`).toBeDefined();
  return item!.id;
}

/** The same, without waiting: null when no pair is shown at this moment (for polls, while the workspaces change places). */
async function shownItemNow(page: Page, pack: TaskPack): Promise<string | null> {
  const [text] = await page.locator('.pairs-prompt').allTextContents();
  return text === undefined ? null : (pack.items.find((it) => text.endsWith(it.prompt))?.id ?? null);
}

test('an annotator judges the six pairs on a server by keys and mouse: the sides are the server’s, the report counts what was chosen, no system name is seen', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const s = await serve();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
    const page = await context.newPage();
    const seen = collectResponses(page);
    await page.goto(await s.invite('pat'));

    const chosen: { itemId: string; left: number; screen: number }[] = [];
    for (let i = 0; i < 6; i++) {
      await expect(page.getByRole('heading', { name: `Pair ${i + 1}`, exact: true })).toBeVisible();
      await expect(page.getByRole('img', { name: 'Right image' })).toBeVisible();
      const itemId = await shownItem(page, s.pack);
      const left = await shownIndex(page, 'Left');
      expect(await shownIndex(page, 'Right')).toBe(1 - left);
      const scale = page.getByRole('group', { name: 'Plausibility' });
      const choice = scale.getByRole('radio', { name: LABELS[PLAN[i]! + 2]! });
      if (i === 2) {
        // Reload mid-pair: the answer given comes back, and so do the two submitted before.
        await page.keyboard.press(String(PLAN[i]! + 3));
        await expect(choice).toBeChecked();
        await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
        await pageSaved(page); // the answer's draft is stored before the reload
        await page.reload();
        await expect(page.getByText('2 of 6 submitted')).toBeVisible();
        expect(await shownItem(page, s.pack)).toBe(itemId);
        await expect(page.getByRole('group', { name: 'Plausibility' }).getByRole('radio', { name: LABELS[PLAN[i]! + 2]! })).toBeChecked();
        await page.keyboard.press('Enter');
      } else if (i < 3) {
        await page.keyboard.press(String(PLAN[i]! + 3));
        await expect(choice).toBeChecked();
        await page.keyboard.press('Enter');
      } else {
        await choice.click();
        await expect(choice).toBeChecked();
        await page.getByRole('button', { name: 'Submit' }).click();
      }
      chosen.push({ itemId, left, screen: PLAN[i]! });
    }
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    expect(new Set(chosen.map((c) => c.itemId)).size).toBe(6);

    // The records are the server's, with the side it drew and the answers in the item's terms.
    const { annotations } = await s.api<{ annotations: { itemId: string; left: number; answers: { plausibility: number } }[] }>('GET', '/export/annotations?annotator=pat');
    expect(annotations).toHaveLength(6);
    const expected = [0, 0, 0, 0, 0];
    for (const c of chosen) {
      const record = annotations.find((r) => r.itemId === c.itemId)!;
      const answer = itemAnswer(c.screen, c.left as 0 | 1);
      expect(record).toMatchObject({ left: c.left, answers: { plausibility: answer } });
      const systems = s.systemsOf.get(c.itemId)!;
      const x = [...systems].sort()[0];
      expected[(systems[0] === x ? answer : -answer) + 2]!++;
    }
    const report = await s.api<{
      results: { criterion: string; systems: string[]; n: number; counts: number[] }[];
      positionBias: { leftWins: number; rightWins: number; ties: number };
    }>('GET', '/export/comparison');
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ criterion: 'plausibility', systems: [...s.systems].sort(), n: 6, counts: expected });
    // PLAN has 2 left, 3 right, 1 tie, as chosen on the screen.
    expect(report.positionBias).toMatchObject({ leftWins: 2, rightWins: 3, ties: 1 });

    // Nothing the page shows, holds or received names a system (the pairs reviewed from the All done screen too).
    await page.getByRole('button', { name: 'Review my submissions' }).click();
    await expect(page.getByText('6 of 6 submitted · this pair is submitted (you may change it)')).toBeVisible();
    const dom = await page.evaluate(() => document.documentElement.outerHTML);
    for (const name of s.systems) expect(dom.includes(name), `the page's DOM names ${name}`).toBe(false);
    const texts = await Promise.all(seen);
    expect(texts.some((t) => t.includes('/api/v1/next'))).toBe(true);
    for (const t of texts) for (const name of s.systems) expect(t.includes(name), `a response names ${name}: ${t.slice(0, 200)}`).toBe(false);
    await context.close();
  } finally {
    await s.stop();
    s.remove();
  }
});

test('a pair submitted while the server is stopped waits in the outbox and is delivered once the server is back', async ({ browser }) => {
  test.setTimeout(120_000);
  const s = await serve();
  try {
    const { page } = await openPage(browser, await s.invite('sam'), drivenClock);
    await expect(page.getByRole('heading', { name: 'Pair 1', exact: true })).toBeVisible();
    await expect(page.getByRole('img', { name: 'Left image' })).toHaveJSProperty('complete', true);
    // The page holds the next pair too (leased) before the server goes.
    await expect.poll(async () => (await s.api<{ annotators: { leased: number }[] }>('GET', '/progress')).annotators[0]?.leased).toBe(2);
    const itemId = await shownItem(page, s.pack);
    const left = await shownIndex(page, 'Left');

    await s.stop();
    await page.keyboard.press('1');
    await page.keyboard.press('Enter');
    await expect(outboxStatus(page)).toHaveText('Submissions: 1 waiting');
    await outboxHolds(page, [itemId]);
    // The next pair comes from what the page holds.
    await expect(page.getByRole('heading', { name: 'Pair 2', exact: true })).toBeVisible();

    await s.restart();
    await skipWaits(page);
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    expect(await storedOutbox(page)).toEqual([]);
    const { annotations } = await s.api<{ annotations: { itemId: string; left: number; answers: { plausibility: number } }[] }>('GET', '/export/annotations?annotator=sam');
    expect(annotations).toEqual([expect.objectContaining({ itemId, left, answers: { plausibility: itemAnswer(-2, left as 0 | 1) } })]);
    await page.context().close();
  } finally {
    await s.stop();
    s.remove();
  }
});

test('a pack with both kinds: each item opens in its own workspace, one after the other, and every record reaches the server', async ({ browser }) => {
  test.setTimeout(120_000);
  const s = await serve({ pairs: 2, ratings: 2 });
  try {
    // Every "loading" placeholder the page shows, from its start.
    const { page, ws } = await openPage(browser, await s.invite('max'), (context) =>
      context.addInitScript(() => {
        const seen: string[] = [];
        (window as unknown as { placeholders: string[] }).placeholders = seen;
        new MutationObserver((records) => {
          for (const r of records) for (const n of r.addedNodes) if (n instanceof HTMLElement && n.matches('.loading')) seen.push(n.textContent ?? '');
        }).observe(document, { childList: true, subtree: true });
      }),
    );
    const placeholders = () => page.evaluate(() => (window as unknown as { placeholders: string[] }).placeholders.length);
    const pairHeading = page.getByRole('heading', { name: /^Pair \d+$/ });
    const ratingPrompt = page.getByRole('group', { name: 'Prompt' });
    const done: string[] = [];
    const kinds: string[] = [];
    let shownFirst = 0;
    for (let n = 0; n < 4; n++) {
      // The next unsubmitted item, in whichever workspace shows it. Nothing in the poll waits: after
      // a Submit the pair workspace may give way to the rating one between two reads.
      let kind: 'pair' | 'rate' | null = null;
      await expect
        .poll(async () => {
          if (await pairHeading.isVisible()) {
            const id = await shownItemNow(page, s.pack);
            kind = id === null || done.includes(id) ? null : 'pair';
          } else if (await ratingPrompt.isVisible()) kind = done.includes((await ws.state()).itemId ?? '') ? null : 'rate';
          else kind = null;
          return kind;
        })
        .not.toBeNull();
      if (n === 0) shownFirst = await placeholders();
      else expect(await placeholders(), 'a workspace took the other’s place with nothing in between: its code was in before it was needed').toBe(shownFirst);
      if (kind === 'pair') {
        await expect(page.getByRole('group', { name: 'Rating' })).toHaveCount(0);
        done.push(await shownItem(page, s.pack));
        await page.keyboard.press('5');
        await page.keyboard.press('Enter');
      } else done.push(await labelAndSubmit(ws, n));
      kinds.push(kind!);
    }
    await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
    await expect(outboxStatus(page)).toHaveText('Submissions: All saved');
    expect([...kinds].sort()).toEqual(['pair', 'pair', 'rate', 'rate']);
    // The All done screen's Export holds both kinds: the rated items and the judged pairs.
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export annotations' }).click();
    const exported = JSON.parse(await readFile((await (await download).path())!, 'utf8')) as { annotator: string; annotations: { itemId: string; left?: number }[] };
    expect(exported.annotator).toBe('max');
    expect(exported.annotations.map((r) => r.itemId).sort()).toEqual([...done].sort());
    expect(exported.annotations.filter((r) => r.left !== undefined)).toHaveLength(2);
    const { annotations } = await s.api<{ annotations: { itemId: string; left?: number }[] }>('GET', '/export/annotations?annotator=max');
    expect(annotations.map((r) => r.itemId).sort()).toEqual([...done].sort());
    expect(annotations.filter((r) => r.left !== undefined)).toHaveLength(2);
    await page.context().close();
  } finally {
    await s.stop();
    s.remove();
  }
});
