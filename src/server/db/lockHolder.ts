/**
 * Who holds an SQLite database. SQLite's exclusive lock says only that some process has the file,
 * so the server that takes it writes a pid file beside it (`demo.db` → `demo.db.pid`: one JSON
 * line, {"pid", "host", "startedAt"}) and removes it when it closes. A server refused the lock
 * reads that file and checks whether the process it names is alive, to say which process to stop.
 * A pid file left by a killed server (kill -9) is only ever read as a hint: the lock decides.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export const pidFileOf = (location: string) => `${location}.pid`;

/** Written once the lock is held; a failure to write it is not a reason to refuse to start. */
export function writeLockHolder(location: string, now = new Date()): void {
  const holder: Holder = { pid: process.pid, host: os.hostname(), startedAt: now.toISOString() };
  try {
    writeFileSync(pidFileOf(location), JSON.stringify(holder) + '\n');
  } catch {
    // A read-only folder: the lock still works; only the message when it is taken says less.
  }
}

/** Removed on close, if it is still this process's (another server may have taken over since). */
export function removeLockHolder(location: string): void {
  if (readHolder(location)?.pid === process.pid) rmSync(pidFileOf(location), { force: true });
}

function readHolder(location: string): Holder | null {
  try {
    const h = JSON.parse(readFileSync(pidFileOf(location), 'utf8')) as Partial<Holder>;
    if (typeof h.pid !== 'number' || !Number.isInteger(h.pid) || h.pid <= 0 || typeof h.host !== 'string' || typeof h.startedAt !== 'string') return null;
    return { pid: h.pid, host: h.host, startedAt: h.startedAt };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Which process holds the lock on `location`, in words for the message that refuses to start. */
export function describeLockHolder(location: string): string {
  const h = readHolder(location);
  if (h === null) return 'by another process (not a richhf serve of this version: there is no readable pid file beside it)';
  if (h.host !== os.hostname()) return `by richhf serve process ${h.pid} on host ${h.host} (started ${h.startedAt})`;
  if (!alive(h.pid)) return `by another process (the pid file names richhf serve process ${h.pid}, which is no longer running)`;
  return `by richhf serve process ${h.pid} (started ${h.startedAt}): stop it first (kill ${h.pid}, or Ctrl-C where it runs)`;
}
