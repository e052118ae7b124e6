import { defineConfig } from '@playwright/test';

// End-to-end tests run in Debian's Chromium (Playwright cannot download browsers here).
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Each checkout serves its built app on its own port (E2E_PORT, or one derived from this
 * folder's path), so a server left running by another checkout is never tested by mistake.
 * A server already on that port is reused only when asked (E2E_REUSE=1, local development).
 */
function checkoutPort(): number {
  if (process.env.E2E_PORT) return Number(process.env.E2E_PORT);
  let h = 0;
  for (const c of process.cwd()) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 20_000 + (h % 20_000);
}
const port = checkoutPort();
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: 'tests/e2e',
  // Compiles the command line first: tests that run bin/richhf.mjs never see an old build.
  globalSetup: './tests/buildNode.ts',
  timeout: 60_000,
  fullyParallel: false,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? 'list' : 'line',
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    trace: 'off',
    // The built app registers a service worker (offline use): it would serve pages and pack files
    // from its caches, out of reach of page.route. Only tests/e2e/offline.spec.ts lets it run.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath,
      args: [
        ...(isRoot ? ['--no-sandbox'] : []),
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite build --logLevel warn && npx vite preview --port ${port} --strictPort --host 127.0.0.1`,
    url: baseURL,
    reuseExistingServer: process.env.E2E_REUSE === '1',
    timeout: 180_000,
  },
});
