/** The pid file beside an SQLite database, and what a server refused the lock says about the holder. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeLockHolder, pidFileOf, removeLockHolder, writeLockHolder } from '../../../src/server/db/lockHolder.ts';

const db = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'richhf-lock-')), 'x.db');

describe('the lock holder', () => {
  it('names a live holder with its pid and start, and how to stop it', () => {
    const file = db();
    writeLockHolder(file, new Date('2026-12-01T10:00:00.000Z'));
    expect(describeLockHolder(file)).toBe(
      `by richhf serve process ${process.pid} (started 2026-12-01T10:00:00.000Z): stop it first (kill ${process.pid}, or Ctrl-C where it runs)`,
    );
    removeLockHolder(file);
    expect(existsSync(pidFileOf(file))).toBe(false);
  });

  it('says when the pid file names a process that is gone, another host, or there is none', () => {
    const file = db();
    expect(describeLockHolder(file)).toBe('by another process (not a richhf serve of this version: there is no readable pid file beside it)');
    // A process that has exited: its pid is free (reused only after the kernel wraps around).
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(pidFileOf(file), JSON.stringify({ pid: Number(gone), host: os.hostname(), startedAt: '2026-12-01T10:00:00.000Z' }));
    expect(describeLockHolder(file)).toBe(`by another process (the pid file names richhf serve process ${gone}, which is no longer running)`);
    writeFileSync(pidFileOf(file), JSON.stringify({ pid: 4242, host: 'elsewhere.example', startedAt: '2026-12-01T10:00:00.000Z' }));
    expect(describeLockHolder(file)).toBe('by richhf serve process 4242 on host elsewhere.example (started 2026-12-01T10:00:00.000Z)');
    writeFileSync(pidFileOf(file), 'not json');
    expect(describeLockHolder(file)).toBe('by another process (not a richhf serve of this version: there is no readable pid file beside it)');
  });

  it("leaves another server's pid file alone on close", () => {
    const file = db();
    writeFileSync(pidFileOf(file), JSON.stringify({ pid: 4242, host: os.hostname(), startedAt: '2026-12-01T10:00:00.000Z' }));
    removeLockHolder(file);
    expect(existsSync(pidFileOf(file))).toBe(true);
  });
});
