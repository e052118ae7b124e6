/**
 * A small disk for tests that fill it: a tmpfs of a few MiB mounted on a temporary folder, so
 * writes there fail with ENOSPC exactly as on a full disk. Mounting needs root (with the mount
 * capability), as in CI; elsewhere `smallDisk()` says why it cannot and the tests fall back.
 */
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SmallDisk {
  readonly dir: string;
  /** Writes a file until the disk is full. */
  fill(): Promise<void>;
  /** Deletes that file again. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

export async function smallDisk(bytes: number, owner?: { uid: number; gid: number }): Promise<SmallDisk | { readonly unavailable: string }> {
  if (process.getuid?.() !== 0) return { unavailable: 'mounting a tmpfs needs root' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'richhf-small-disk-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes},mode=0700`, 'tmpfs', dir]);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `cannot mount a tmpfs here: ${(e as Error).message.split('\n')[0]}` };
  }
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const filler = path.join(dir, 'filler');
  return {
    dir,
    async fill() {
      const f = await open(filler, 'a');
      const chunk = Buffer.alloc(16 * 1024, 1);
      try {
        for (;;) await f.write(chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        await f.close();
      }
    },
    free: () => unlink(filler),
    async unmount() {
      // Lazily: a closed SQLite connection may keep its file open until it is garbage collected.
      await run('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
