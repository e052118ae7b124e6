/**
 * `npm start`: the collection server on the bundled demo pack with the embedded database
 * (data/demo.db), so the first command of the README runs the real thing. The app is built
 * first when dist/ is missing or older than its sources. Extra arguments go to `richhf serve`
 * (`npm start -- --port 9000`). `npm run start:static` is the file-based app without a server.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { main } from '../src/cli/main.ts';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** What the built app is made of (the command line and the server are not in it). */
const APP_SOURCES = ['index.html', 'public', 'src', 'vite.config.ts', 'tsconfig.app.json', 'package.json'];
const NOT_APP = new Set([path.join(root, 'src/cli'), path.join(root, 'src/server')]);

function newestMtime(file: string): number {
  if (NOT_APP.has(file) || !existsSync(file)) return 0;
  const s = statSync(file);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(file).reduce((m, name) => Math.max(m, newestMtime(path.join(file, name))), s.mtimeMs);
}

const index = path.join(root, 'dist/index.html');
const built = existsSync(index) ? statSync(index).mtimeMs : 0;
const sources = Math.max(...APP_SOURCES.map((f) => newestMtime(path.join(root, f))));
if (built < sources) {
  console.log(built === 0 ? 'npm start: building the app (dist/ is missing)…' : 'npm start: rebuilding the app (its sources changed)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

mkdirSync(path.join(root, 'data'), { recursive: true });
process.exitCode = await main([
  'serve',
  '--pack',
  path.relative(process.cwd(), path.join(root, 'public/demo/pack.json')),
  '--db',
  path.relative(process.cwd(), path.join(root, 'data/demo.db')),
  ...process.argv.slice(2),
]);
