/**
 * The browser app that `richhf serve` serves when no `--app` is given: this checkout's `dist/`,
 * made by Vite from the app's sources. `richhf serve` finds it, builds it when it is missing or
 * older than its sources (Vite is a dev dependency: there in a checkout after `npm install`), or
 * refuses with the one command that builds it, before it opens its port.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout: this file is src/node/appBuild.ts, or build/node/appBuild.js once compiled. */
export const CHECKOUT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What the built app is made of (the command line and the server are not in it). */
const APP_SOURCES = ['index.html', 'public', 'src', 'vite.config.ts', 'tsconfig.app.json', 'package.json'];
const NOT_APP = ['src/cli', 'src/server', 'src/node'];

function newestMtime(file: string, skip: ReadonlySet<string>): number {
  if (skip.has(file) || !existsSync(file)) return 0;
  const s = statSync(file);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(file).reduce((m, name) => Math.max(m, newestMtime(path.join(file, name), skip)), s.mtimeMs);
}

/** `stale`: built, but a source file changed since. */
export type AppState = 'fresh' | 'missing' | 'stale';

/** Whether `root`/dist holds an app built from the sources as they are now. */
export function appState(root = CHECKOUT_ROOT): AppState {
  const index = path.join(root, 'dist/index.html');
  if (!existsSync(index)) return 'missing';
  // Without the sources (an installed copy of the package) the built app is all there is.
  if (!existsSync(path.join(root, 'src'))) return 'fresh';
  const skip = new Set(NOT_APP.map((p) => path.join(root, p)));
  const sources = Math.max(...APP_SOURCES.map((f) => newestMtime(path.join(root, f), skip)));
  return statSync(index).mtimeMs >= sources ? 'fresh' : 'stale';
}

/** Vite's command line in this checkout, when the dev dependencies are installed. */
function viteBin(root: string): string | null {
  const bin = path.join(root, 'node_modules/vite/bin/vite.js');
  return existsSync(bin) ? bin : null;
}

/** The one command that builds the app (what a refusal tells the person to run). */
export const BUILD_COMMAND = 'npm run build:app';

export type AppFound =
  | { readonly ok: true; readonly dir: string; /** Milliseconds spent building, when it was built now. */ readonly builtMs: number | null; readonly warning: string | null }
  | { readonly ok: false; readonly message: string };

/**
 * This checkout's app: found as it is, or built now (`say` is told before the build starts, since
 * it takes a few seconds), or, without Vite, a refusal naming the command to run. A built app
 * that is older than its sources and cannot be rebuilt is served with a warning.
 */
export function findOrBuildApp(say: (line: string) => void, root = CHECKOUT_ROOT): AppFound {
  const dir = path.join(root, 'dist');
  const state = appState(root);
  if (state === 'fresh') return { ok: true, dir, builtMs: null, warning: null };
  const vite = viteBin(root);
  if (!vite) {
    if (state === 'stale') return { ok: true, dir, builtMs: null, warning: `the app in ${dir} is older than its sources (${BUILD_COMMAND} rebuilds it)` };
    return { ok: false, message: `the app is not built (${dir} has no index.html): run \`npm install && ${BUILD_COMMAND}\` in ${root}, or pass --app DIR` };
  }
  say(state === 'missing' ? `building the app into ${dir} (it is missing; a few seconds)…` : `rebuilding the app in ${dir} (its sources changed; a few seconds)…`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !existsSync(path.join(dir, 'index.html'))) {
    return { ok: false, message: `building the app failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`}); see above, or run \`${BUILD_COMMAND}\` in ${root}` };
  }
  return { ok: true, dir, builtMs: performance.now() - started, warning: null };
}
