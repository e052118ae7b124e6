/**
 * The README's ways of starting things, as a person runs them, through npm: `npm start`,
 * `npx richhf serve` and `npm run start:static`. A SIGTERM sent to the npm process stops the
 * server it started (none is left holding the database or the port), a database in use names the
 * process that holds it, `npm start` prints a demo annotator's invite link that works (the same one
 * on the next start), and start:static takes its port from `-- --port` or PORT.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { spawnServe, STUB_APP } from './serveProcess.ts';

const root = path.resolve(import.meta.dirname, '../../..');

interface Run {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<number | string>;
  /** Resolves with the first match of `re` in the output (stdout and stderr), rejects if the process exits first. */
  line(re: RegExp): Promise<RegExpExecArray>;
}

const runs: Run[] = [];
/** Servers seen (from their pid files), for the clean-up: one left running is what a failing test found. */
const servers: number[] = [];
afterAll(() => {
  // Whatever a failed test left: each run's process group (each run is a group of its own), and the servers.
  for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) process.kill(-r.child.pid!, 'SIGKILL');
  for (const pid of servers) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

/** `npm ARGS…` (or npx) in its own process group, as a terminal would start it. */
function run(cmd: 'npm' | 'npx', args: string[], env: Record<string, string | undefined> = {}): Run {
  const child = spawn(cmd, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RICHHF_LEAD_TOKEN: undefined, npm_command: undefined, PORT: undefined, ...env },
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (l) => {
      // Colours stripped: Vite colours its lines when FORCE_COLOR is set (as on CI), "Local" and ":" apart.
      lines.push(stripVTControlCharacters(l));
      for (const w of waiters) w();
    });
  }
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const r: Run = {
    child,
    lines,
    exited,
    line: (re) =>
      new Promise((resolve, reject) => {
        const check = () => {
          for (const l of lines) {
            const m = re.exec(l);
            if (m) return resolve(m);
          }
        };
        waiters.push(check);
        check();
        void exited.then((code) => reject(new Error(`${cmd} ${args.join(' ')} exited (${code}) before printing ${re}:\n${lines.join('\n')}`)));
        // Bounded, with what it printed, so a hang says where it is instead of timing the test out.
        setTimeout(() => reject(new Error(`${cmd} ${args.join(' ')} printed no line matching ${re} in 60 s:\n${lines.join('\n')}`)), 60_000).unref();
      }),
  };
  runs.push(r);
  return r;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const pidOf = (db: string) => {
  const { pid } = JSON.parse(readFileSync(`${db}.pid`, 'utf8')) as { pid: number };
  servers.push(pid);
  return pid;
};

/** A port nothing listens on now. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

describe('starting through npm', { timeout: 120_000 }, () => {
  it('npm start: a demo invite link that works (the same after a restart); a second server names the holder; SIGTERM to npm stops the server', async () => {
    const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'richhf-npm-start-')), 'demo.db');
    const first = run('npm', ['start', '--', '--port', '0', '--db', db, '--app', STUB_APP]);
    const [, base, token] = await first.line(/^demo annotator: (http:\/\/\S+)\/\?invite=([A-Za-z0-9_-]{43}) /);
    const lead = (await first.line(/^lead: \S+\/\?lead=([A-Za-z0-9_-]{43})#\/review/))[1]!;
    // The other kind of task: the demo's comparison pack, opened by the page itself, on the same server.
    expect((await first.line(/^demo comparison: (http:\/\/\S+)\/\?pack=demo-compare\/pack\.json /))[1]).toBe(base);
    const me = await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { annotator: string }).annotator).toBe('demo-annotator');
    expect((await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${lead}` } })).status).toBe(200);

    const server = pidOf(db);
    expect(server).not.toBe(first.child.pid);
    expect(alive(server)).toBe(true);
    const second = spawnServe(['--pack', path.join(root, 'public/demo/pack.json'), '--db', db]);
    expect(await second.exited).toBe(1);
    expect(second.stderr.join('\n')).toContain(`${db} is in use by richhf serve process ${server} (started `);
    expect(second.stderr.join('\n')).toContain(`stop it first (kill ${server}`);

    process.kill(first.child.pid!, 'SIGTERM');
    await first.exited;
    expect(alive(server), 'the server is gone once npm has exited').toBe(false);
    expect(first.lines.join('\n')).toContain('richhf serve: SIGTERM: finishing requests in flight, then stopping');

    const again = run('npm', ['start', '--', '--port', '0', '--db', db, '--app', STUB_APP]);
    expect((await again.line(/^demo annotator: \S+\/\?invite=(\S+) /))[1]).toBe(token);
    const restarted = pidOf(db);
    process.kill(again.child.pid!, 'SIGTERM');
    await again.exited;
    expect(alive(restarted)).toBe(false);
  });

  it('npx richhf serve: SIGTERM to npx stops the server (npm passes it to a shell that does not pass it on: the server sees its parent go)', async () => {
    const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'richhf-npx-')), 'x.db');
    const npx = run('npx', ['richhf', 'serve', '--pack', 'public/demo/pack.json', '--db', db, '--port', '0', '--app', STUB_APP]);
    await npx.line(/^listening on /);
    const server = pidOf(db);
    expect(alive(server)).toBe(true);
    process.kill(npx.child.pid!, 'SIGTERM');
    await npx.exited;
    await vi.waitFor(() => expect(alive(server)).toBe(false), { timeout: 20_000, interval: 100 });
  });

  it('npm run start:static takes -- --port or PORT, refuses a bad one, and stops with npm', async () => {
    const port = await freePort();
    const byArg = run('npm', ['run', 'start:static', '--', '--port', String(port)]);
    // Vite prints localhost, or the address localhost resolves to where the two lookups differ.
    const [, url] = await byArg.line(new RegExp(`Local:\\s+(http://\\S+:${port}/)`));
    expect((await fetch(url!, { signal: AbortSignal.timeout(30_000) })).status).toBe(200);
    process.kill(byArg.child.pid!, 'SIGTERM');
    await byArg.exited;
    await expect(fetch(url!)).rejects.toThrow();

    const envPort = await freePort();
    const byEnv = run('npm', ['run', 'start:static'], { PORT: String(envPort) });
    const [, envUrl] = await byEnv.line(new RegExp(`Local:\\s+(http://\\S+:${envPort}/)`));
    process.kill(byEnv.child.pid!, 'SIGTERM');
    await byEnv.exited;
    await expect(fetch(envUrl!)).rejects.toThrow();

    const bad = run('npm', ['run', 'start:static', '--', '--port', 'eighty']);
    expect(await bad.exited).not.toBe(0);
    expect(bad.lines.join('\n')).toContain('the port must be a number from 1 to 65535, got "eighty"');
  });
});
