/**
 * The browser on a real `richhf serve` (SQLite in a temporary folder, started by each test):
 * annotators signed in by invite links, the lead's live dashboard, and exports equal to
 * `richhf consolidate` on the server's annotation files. Each annotator is a browser context
 * of its own (its own IndexedDB), as on three machines.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { Collection, LEAD_TOKEN } from './collection.ts';
import { labelAndSubmit, openPage as open, outboxStatus as outbox } from './collectPages.ts';
import { expect, seriousA11yViolations, test } from './fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

test('three annotators from three invite links label a pack; the lead sees them live and exports what richhf consolidate makes', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const c = await Collection.start({ items: 3, k: 3 });
  try {
    const names = ['alice', 'bob', 'carol'];

    // The lead opens the printed link: the token leaves the address bar, the dashboard is live.
    const { page: lead } = await open(browser, `${c.url}/?lead=${LEAD_TOKEN}#/review`);
    await expect(lead.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    expect(lead.url()).toBe(`${c.url}/#/review`);

    // Invites from the dashboard's form; each link is shown once, to copy.
    await lead.getByLabel('Annotator IDs (one per line)').fill(names.join('\n'));
    await lead.getByRole('button', { name: 'Create invite links' }).click();
    const links = new Map<string, string>();
    for (const id of names) {
      const link = await lead.getByRole('textbox', { name: `Invite link of ${id}` }).inputValue();
      expect(link).toMatch(new RegExp(`^${c.url}/\\?invite=[A-Za-z0-9_-]{43}$`));
      links.set(id, link);
    }
    const annotatorsTable = lead.getByRole('table', { name: 'Annotators' });
    const submittedOf = (id: string) =>
      annotatorsTable
        .getByRole('row')
        .filter({ has: lead.getByRole('rowheader', { name: id, exact: true }) })
        .getByRole('cell')
        .first();
    for (const id of names) await expect(submittedOf(id)).toHaveText('0');

    const annotators = [];
    for (const id of names) {
      const a = await open(browser, links.get(id)!);
      await a.ws.waitForImage();
      expect(a.page.url()).toBe(`${c.url}/`);
      await expect(a.page.getByTitle('Annotator')).toHaveText(id);
      await expect(outbox(a.page)).toHaveText('Submissions: All saved');
      // Counted against the pack, not against the few items the page holds.
      await expect(a.page.getByText(`0 / ${c.pack.items.length} done`)).toBeVisible();
      annotators.push(a);
    }

    // Round by round, each annotator submits their current item; the dashboard follows live.
    const done = new Map<string, string[]>(names.map((n) => [n, []]));
    for (let round = 0; round < c.pack.items.length; round++) {
      for (const [k, id] of names.entries()) {
        done.get(id)!.push(await labelAndSubmit(annotators[k]!.ws, round + k));
      }
      for (const id of names) await expect(submittedOf(id)).toHaveText(String(round + 1));
    }
    for (const [k, id] of names.entries()) {
      const { page } = annotators[k]!;
      await expect(page.getByRole('heading', { name: 'All done' })).toBeVisible();
      await expect(page.getByText(`You submitted ${c.pack.items.length} items to pack ${c.pack.name}`)).toBeVisible();
      await expect(outbox(page)).toHaveText('Submissions: All saved');
      expect(new Set(done.get(id))).toEqual(new Set(c.pack.items.map((i) => i.id)));
    }
    expect(await seriousA11yViolations(annotators[0]!.page)).toEqual([]);

    // On the server: every item with three distinct annotators, each record once.
    for (const id of names) expect((await c.records(id)).map((r) => r.itemId).sort()).toEqual(c.pack.items.map((i) => i.id));
    const progress = await c.progress();
    expect([progress.completeItems, progress.submissions]).toEqual([3, 9]);

    // The lead's review: every item complete in the table, and the dataset the command line makes.
    await expect(lead.getByText(/3 of 3 items complete, 9 submissions/)).toBeVisible();
    for (const item of c.pack.items) {
      await expect(lead.getByRole('row').filter({ has: lead.getByRole('button', { name: `Open item ${item.id}`, exact: true }) })).toContainText('3 / 3');
    }
    const files: string[] = [];
    for (const id of names) {
      files.push(path.join(c.dir, `${id}.json`));
      writeFileSync(files.at(-1)!, await (await fetch(`${c.url}/api/v1/export/annotations?annotator=${id}`, { headers: { Authorization: `Bearer ${LEAD_TOKEN}` } })).text());
    }
    const cliOut = path.join(c.dir, 'cli-dataset.json');
    execFileSync(process.execPath, [path.join(ROOT, 'bin/richhf.mjs'), 'consolidate', '--pack', c.packFile, '--out', cliOut, ...files], { cwd: ROOT, stdio: 'pipe' });
    const exported = testInfo.outputPath('browser-dataset.json');
    const download = lead.waitForEvent('download');
    await lead.getByRole('button', { name: 'Export dataset' }).click();
    await (await download).saveAs(exported);
    // Byte for byte, heatmap PNGs included: every part of the system deflates them with core's zlibRle.
    expect(readFileSync(exported, 'utf8')).toBe(readFileSync(cliOut, 'utf8'));
    // The server's own dataset is the command line's, byte for byte; each annotator's file is the server's.
    const fromServer = lead.waitForEvent('download');
    await lead.getByRole('button', { name: "Download the server's dataset" }).click();
    expect(readFileSync((await (await fromServer).path())!, 'utf8')).toBe(readFileSync(cliOut, 'utf8'));
    // The dataset with its images: a ZIP of the files consolidate --parquet writes, byte for byte.
    const hf = path.join(c.dir, 'hf');
    execFileSync(process.execPath, [path.join(ROOT, 'bin/richhf.mjs'), 'consolidate', '--pack', c.packFile, '--out', path.join(c.dir, 'cli2.json'), '--parquet', hf, ...files], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const parquetZip = lead.waitForEvent('download');
    await lead.getByRole('button', { name: 'Download the dataset with its images (Parquet)' }).click();
    const zip = unzipSync(readFileSync((await (await parquetZip).path())!));
    expect(Object.keys(zip)).toEqual(['data/train-00000-of-00001.parquet', 'README.md']);
    expect(Buffer.from(zip['data/train-00000-of-00001.parquet']!).equals(readFileSync(path.join(hf, 'data/train-00000-of-00001.parquet')))).toBe(true);
    expect(Buffer.from(zip['README.md']!).toString('utf8')).toBe(readFileSync(path.join(hf, 'README.md'), 'utf8'));
    const aliceFile = lead.waitForEvent('download');
    await lead.getByRole('button', { name: 'Download the file of alice' }).click();
    expect(readFileSync((await (await aliceFile).path())!, 'utf8')).toBe(readFileSync(files[0]!, 'utf8'));
    expect(await seriousA11yViolations(lead)).toEqual([]);
  } finally {
    await c.stop();
  }
});
