/** Runs the real `richhf serve` (bin/richhf.mjs) as a child process, as a lead would. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LEAD } from './support.ts';

const root = path.resolve(import.meta.dirname, '../../..');

export interface ServeProcess {
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything printed so far, stdout and stderr. */
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** A stand-in for the built app, unless the test names its own `--app`: the server's tests neither build nor need the real one. */
export const STUB_APP = path.join(import.meta.dirname, 'stubApp');

export function spawnServe(args: string[], env: Record<string, string | undefined> = { RICHHF_LEAD_TOKEN: LEAD }): ServeProcess {
  const app = args.includes('--app') ? [] : ['--app', STUB_APP];
  const child = spawn(process.execPath, [path.join(root, 'bin/richhf.mjs'), 'serve', '--port', '0', ...app, ...args], {
    env: { ...process.env, RICHHF_LEAD_TOKEN: undefined, ...env },
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => stdout.push(l));
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, stdout, stderr, exited };
}

/** Waits (on its output, no timer) until the server says it listens; rejects if it exits first. */
export function listening(p: ServeProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const line = p.stdout.find((l) => l.startsWith('listening on '));
      if (line) {
        p.child.stdout.off('data', check);
        resolve(/^listening on (\S+)/.exec(line)![1]!);
      }
    };
    p.child.stdout.on('data', () => setImmediate(check));
    check();
    void p.exited.then((code) => reject(new Error(`richhf serve exited (${code}) before listening:\n${p.stdout.join('\n')}\n${p.stderr.join('\n')}`)));
  });
}

export async function startServe(args: string[], env?: Record<string, string | undefined>): Promise<ServeProcess & { url: string }> {
  const p = spawnServe(args, env);
  const url = await listening(p);
  return Object.assign(p, { url });
}

/** Stops it with SIGTERM and waits for the exit code. */
export async function stopServe(p: ServeProcess): Promise<number | string> {
  p.child.kill('SIGTERM');
  return p.exited;
}
