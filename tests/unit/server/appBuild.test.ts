/**
 * `richhf serve` without `--app` serves this checkout's built app: it finds it, builds it when it
 * is missing or older than its sources, or refuses with the command that builds it, and says all
 * that before it prints any URL. Run on a copy of the checkout in a temporary folder (the compiled
 * command line, the dependencies linked), with a stand-in for Vite that writes a page, so the real
 * dist/ of this checkout is never touched.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listening, stopServe, type ServeProcess } from './serveProcess.ts';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '../../..');
const started: ServeProcess[] = [];
afterAll(() => {
  for (const p of started) p.child.kill('SIGKILL');
});

/** A checkout without Vite: the compiled command line, the app's sources (one file), every dependency but vite. */
function checkoutCopy(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-checkout-'));
  cpSync(path.join(root, 'build'), path.join(dir, 'build'), { recursive: true });
  cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), { recursive: true });
  cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src/main.tsx'), '// the app\n');
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html>\n');
  mkdirSync(path.join(dir, 'node_modules'));
  for (const name of readdirSync(path.join(root, 'node_modules'))) {
    if (name === 'vite' || name === '.bin') continue;
    symlinkSync(path.join(root, 'node_modules', name), path.join(dir, 'node_modules', name));
  }
  return dir;
}

/** A stand-in for `vite build`: writes dist/index.html saying how many builds it has made. */
function fakeVite(dir: string): void {
  mkdirSync(path.join(dir, 'node_modules/vite/bin'), { recursive: true });
  writeFileSync(
    path.join(dir, 'node_modules/vite/bin/vite.js'),
    `import fs from 'node:fs';
if (process.argv[2] !== 'build') process.exit(2);
const n = (fs.existsSync('builds') ? Number(fs.readFileSync('builds', 'utf8')) : 0) + 1;
fs.writeFileSync('builds', String(n));
fs.mkdirSync('dist', { recursive: true });
fs.writeFileSync('dist/index.html', '<!doctype html><p>build ' + n + '</p>');
`,
  );
}

function serve(dir: string): ServeProcess {
  const child = spawn(
    process.execPath,
    [path.join(dir, 'bin/richhf.mjs'), 'serve', '--pack', path.join(root, 'public/demo/pack.json'), '--db', path.join(dir, 'x.db'), '--port', '0'],
    {
      env: { ...process.env, RICHHF_LEAD_TOKEN: 'app-build-lead-token-0123456789', npm_command: undefined },
    },
  );
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => stdout.push(l));
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const p = { child, stdout, stderr, exited };
  started.push(p);
  return p;
}

describe('richhf serve and the built app', { timeout: 60_000 }, () => {
  it('refuses without the app and without Vite, naming the command, before any URL; builds it when Vite is there; rebuilds it when a source changed', async () => {
    const dir = checkoutCopy();
    const refused = serve(dir);
    expect(await refused.exited).toBe(1);
    expect(refused.stderr.join('\n')).toBe(
      `richhf serve: the app is not built (${path.join(dir, 'dist')} has no index.html): run \`npm install && npm run build:app\` in ${dir}, or pass --app DIR`,
    );
    expect(refused.stdout.join('\n')).not.toContain('http://');

    fakeVite(dir);
    const built = serve(dir);
    const url = await listening(built);
    const out = built.stdout.join('\n');
    expect(out.indexOf(`richhf serve: building the app into ${path.join(dir, 'dist')} (it is missing; a few seconds)…`)).toBe(0);
    expect(out).toMatch(/the app was built in \d+\.\d s/);
    expect(out.indexOf('the app was built')).toBeLessThan(out.indexOf('http://'));
    expect(await (await fetch(`${url}/`)).text()).toContain('<p>build 1</p>');
    expect(await stopServe(built)).toBe(0);

    // Found as it is: no build.
    const found = serve(dir);
    const url2 = await listening(found);
    expect(found.stdout.join('\n')).not.toContain('build');
    expect(await (await fetch(`${url2}/`)).text()).toContain('<p>build 1</p>');
    expect(await stopServe(found)).toBe(0);

    // A source newer than the build: built again.
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, 'src/main.tsx'), later, later);
    const rebuilt = serve(dir);
    const url3 = await listening(rebuilt);
    expect(rebuilt.stdout[0]).toBe(`richhf serve: rebuilding the app in ${path.join(dir, 'dist')} (its sources changed; a few seconds)…`);
    expect(await (await fetch(`${url3}/`)).text()).toContain('<p>build 2</p>');
    expect(await stopServe(rebuilt)).toBe(0);
  });
});
