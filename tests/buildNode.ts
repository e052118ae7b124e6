import { spawnSync } from 'node:child_process';
import path from 'node:path';

/**
 * Global set-up of both test runners (vitest.config.ts, playwright.config.ts): compiles the
 * Node-side code (`npm run build:node`, scripts/buildNode.mjs: incremental, a few seconds when
 * nothing changed) so that tests which run the `richhf` binary never run a build older than the
 * sources.
 */
export default function buildNode(): void {
  const root = path.resolve(import.meta.dirname, '..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/buildNode.mjs')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build:node failed; the tests need the compiled command line');
}
