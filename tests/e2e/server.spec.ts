import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test } from '@playwright/test';
import { Workspace } from './fixtures.ts';

/**
 * The built app as `richhf serve` serves it (same origin as /api/v1, with the server's security
 * headers and CSP): the static app, asked for with `?annotator=`, loads and works with nothing
 * blocked. The server's own pages (its root, invites, the outbox) are tested where they are
 * built; this checks the serving.
 */
const root = path.resolve(import.meta.dirname, '../..');

test('the static app served by richhf serve (?annotator=) loads the demo pack under the server CSP, with no console errors', async ({ page }) => {
  const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'richhf-e2e-serve-')), 'demo.db');
  const server = spawn(process.execPath, [
    path.join(root, 'bin/richhf.mjs'),
    'serve',
    '--pack',
    path.join(root, 'public/demo/pack.json'),
    '--db',
    db,
    '--port',
    '0',
    '--app',
    path.join(root, 'dist'),
  ]);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: server.stdout }).on('line', (line) => {
        const m = /^listening on (\S+)/.exec(line);
        if (m) resolve(m[1]!);
      });
      server.once('exit', (code) => reject(new Error(`richhf serve exited with ${code}`)));
    });
    const problems: string[] = [];
    page.on('console', (m) => {
      // The tests block the app's service worker (playwright.config.ts), and Playwright says so.
      if ((m.type() === 'error' || m.type() === 'warning') && m.text() !== 'Service Worker registration blocked by Playwright') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const response = await page.goto(`${url}/?annotator=alice`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    const ws = new Workspace(page);
    await ws.waitForImage();
    await expect(page.getByText('three red balls on a wooden table')).toBeVisible();
    expect(problems).toEqual([]);
  } finally {
    server.kill('SIGTERM');
  }
});
