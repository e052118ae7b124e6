import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, realpath, rename, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { lstatSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * Output safety for every command that writes files, in one place:
 * - an output that is an input, or another output, is refused before anything is read:
 *   paths are compared after realpath (symlinks, `..`, other spellings) and, for files that
 *   exist, by device and inode (hard links), as the OS reports them;
 * - each output is written to a temp file in its target's folder (so the rename is atomic)
 *   and fsynced; only when all are complete are they renamed into place, in the order given
 *   (callers put the JSON last), an existing target being set aside first so that a failed
 *   rename puts every earlier one back: all outputs or none;
 * - on failure, on SIGINT/SIGTERM and at exit the temps are removed; a run that was killed
 *   outright (kill -9) leaves them, and the next run into that folder removes those of our
 *   naming that are older than itself and whose process is gone.
 * Temp names: `.richhf-<target name>.<pid>.<random>.tmp` (`.bak` for a set-aside target).
 * A new folder (the images of `richhf pack --compare`) is made the same way: filled under a
 * temp name beside its target (a folder of that naming), renamed into place, removed on failure.
 */

const PREFIX = '.richhf-';
const OURS = /^\.richhf-.+\.(\d+)\.[a-z0-9]+\.(tmp|bak)$/;
/** When this process started, in epoch ms: temps older than this are not this run's. */
const RUN_START = Date.now() - process.uptime() * 1000;

export interface PathArg {
  /** How the user gave it: `--out`, `--pack`, or '' for a positional argument. */
  readonly flag: string;
  readonly path: string;
}

const label = (a: PathArg) => (a.flag ? `${a.flag} ${a.path}` : a.path);

interface Identity {
  readonly resolved: string;
  readonly inode?: { readonly dev: bigint; readonly ino: bigint };
}

/** Where a path really leads: realpath of the file, or of its folder when it does not exist yet. */
async function identify(p: string): Promise<Identity> {
  let resolved: string;
  try {
    resolved = await realpath(p);
  } catch {
    try {
      resolved = path.join(await realpath(path.dirname(path.resolve(p))), path.basename(p));
    } catch {
      resolved = path.resolve(p);
    }
  }
  try {
    const s = await stat(p, { bigint: true });
    // An inode of 0 means the file system does not say (some network and Windows volumes).
    if (s.ino !== 0n) return { resolved, inode: { dev: s.dev, ino: s.ino } };
  } catch {
    // does not exist (yet): the path is all there is to compare
  }
  return { resolved };
}

const same = (a: Identity, b: Identity) =>
  a.resolved === b.resolved || (a.inode !== undefined && b.inode !== undefined && a.inode.dev === b.inode.dev && a.inode.ino === b.inode.ino);

/**
 * Checks a run's outputs before it starts: none may be an input or another output. Returns the
 * message for the first conflict (a usage error), or null. Also removes stale temps of ours in
 * the outputs' folders.
 */
export async function checkOutputs(outputs: readonly PathArg[], inputs: readonly PathArg[]): Promise<string | null> {
  const outIds = await Promise.all(outputs.map((o) => identify(o.path)));
  const inIds = await Promise.all(inputs.map((i) => identify(i.path)));
  for (let k = 0; k < outputs.length; k++) {
    const o = outputs[k]!;
    const i = inIds.findIndex((id) => same(id, outIds[k]!));
    if (i >= 0) return `${label(o)} is the input ${label(inputs[i]!)}${outputs[k]!.path === inputs[i]!.path ? '' : ' (the same file)'}: an output must never replace an input`;
    for (let j = 0; j < k; j++) if (same(outIds[j]!, outIds[k]!)) return `${label(o)} and ${label(outputs[j]!)} are the same file: give each output its own`;
  }
  await removeStaleTemps(outIds.map((id) => path.dirname(id.resolved)));
  return null;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

/** Removes our temps in `dirs` left by runs that are over (older than this one, process gone). */
export async function removeStaleTemps(dirs: readonly string[]): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const m = OURS.exec(name);
      if (!m || isAlive(Number(m[1]))) continue;
      const file = path.join(dir, name);
      try {
        const s = await lstat(file);
        if (!(s.isFile() || (s.isDirectory() && name.endsWith('.tmp'))) || s.mtimeMs >= RUN_START) continue;
        await rm(file, { recursive: true });
        removed.push(file);
      } catch {
        // gone already, or not ours to remove
      }
    }
  }
  return removed;
}

/** A write that failed, with the output it was for. */
export class OutputError extends Error {
  constructor(
    readonly target: string,
    readonly cause: NodeJS.ErrnoException,
  ) {
    super(cause.message);
  }
  get code(): string | undefined {
    return this.cause.code;
  }
}

/** `out/x.json: cannot write: no such directory`, for a failed write of `target`. */
export function writeFailure(target: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such directory'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'ENOSPC'
            ? 'no space left on the device'
            : (e as Error).message;
  return `${target}: cannot write: ${why}`;
}

/** One output being written: bytes go to its temp file until Outputs.commit(). */
export interface OutputFile {
  readonly target: string;
  write(chunk: string | Uint8Array): Promise<void>;
}

/**
 * Writes in flight per output, at most: a caller gets control back as soon as its chunk is
 * queued, so making the next chunk overlaps with writing this one, and waits only when this
 * much is queued (memory stays bounded).
 */
const MAX_QUEUED_BYTES = 16 << 20;

interface Entry {
  readonly target: string;
  readonly temp: string;
  handle: FileHandle | null;
  /** The queued writes, in order; rejects with the first failure. */
  writes: Promise<void>;
  queuedBytes: number;
  /** The first failed write: later writes are refused with it at once. */
  failure: OutputError | null;
  /** The target's previous file, set aside during commit. */
  backup: string | null;
  /** Renamed into place (commit in progress). */
  placed: boolean;
  /** An existing file that commit removes (set aside, then deleted; put back if the commit fails): no temp, no handle. */
  retired?: boolean;
}

/** What a signal or exit handler must clean up: open Outputs and temp folders. */
const live = new Set<{ cleanupSync(): void }>();

function tempName(target: string, ext: 'tmp' | 'bak'): string {
  return path.join(path.dirname(target), `${PREFIX}${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.${ext}`);
}

async function attempt<T>(target: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (e) {
    throw e instanceof OutputError ? e : new OutputError(target, e as NodeJS.ErrnoException);
  }
}

export class Outputs {
  private done = false;
  /** Where add() inserts: before the outputs given to open(). */
  private dynamicAt = 0;

  private constructor(private readonly entries: Entry[]) {}

  /**
   * Opens a temp file beside each target; `targets` in commit order (the JSON last). Fails
   * with an OutputError (nothing left behind) when a target is a directory or its folder
   * cannot be written.
   */
  static async open(targets: readonly string[]): Promise<Outputs> {
    const outputs = new Outputs([]);
    live.add(outputs);
    installSignalCleanup();
    try {
      for (const target of targets) {
        const s = await lstat(target).catch(() => null);
        if (s?.isDirectory()) throw new OutputError(target, Object.assign(new Error(`${target} is a directory`), { code: 'EISDIR' }));
        const entry: Entry = { target, temp: tempName(target, 'tmp'), handle: null, writes: Promise.resolve(), queuedBytes: 0, failure: null, backup: null, placed: false };
        outputs.entries.push(entry);
        entry.handle = await attempt(target, () => open(entry.temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666));
      }
    } catch (e) {
      await outputs.abort();
      throw e;
    }
    return outputs;
  }

  file(target: string): OutputFile {
    const entry = this.entries.find((e) => e.target === target);
    if (!entry) throw new Error(`not an output of this run: ${target}`);
    return {
      target,
      write: (chunk) => {
        if (entry.failure) return Promise.reject(entry.failure);
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        entry.queuedBytes += bytes.length;
        entry.writes = entry.writes.then(() =>
          attempt(target, async () => {
            if (!entry.handle) throw new Error('output already closed');
            await entry.handle.write(bytes, 0, bytes.length);
            entry.queuedBytes -= bytes.length;
          }),
        );
        // A failure is kept for the next write and for commit; never an unhandled rejection.
        entry.writes.catch((e: OutputError) => (entry.failure ??= e));
        return entry.queuedBytes > MAX_QUEUED_BYTES ? entry.writes : Promise.resolve();
      },
    };
  }

  /**
   * One more output, opened during the run (files whose number is known only as they are
   * written, like Parquet shards). It is committed before the outputs given to open(), so the
   * last of those (the JSON) stays last.
   */
  async add(target: string): Promise<OutputFile> {
    const entry: Entry = { target, temp: tempName(target, 'tmp'), handle: null, writes: Promise.resolve(), queuedBytes: 0, failure: null, backup: null, placed: false };
    this.entries.splice(this.dynamicAt++, 0, entry);
    entry.handle = await attempt(target, () => open(entry.temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o666));
    return this.file(target);
  }

  /**
   * One more output like add(), filled by another writer (a worker thread opening it by path):
   * the path of its temp file, which exists and is empty. It is synced, renamed and removed with
   * the others; the writer must be done with it before commit() or abort().
   */
  async addFilled(target: string): Promise<string> {
    await this.add(target);
    return this.entries.find((e) => e.target === target)!.temp;
  }

  /** Gives an output its final name before commit (same folder: its temp stays where it is). */
  retarget(target: string, final: string): void {
    const entry = this.entries.find((e) => e.target === target);
    if (!entry || path.dirname(final) !== path.dirname(target)) throw new Error(`cannot retarget ${target} to ${final}`);
    (entry as { target: string }).target = final;
  }

  /** An existing file that commit removes with the others' renames (all or none), e.g. a shard of an earlier export. */
  retire(file: string): void {
    this.entries.splice(this.dynamicAt++, 0, {
      target: file,
      temp: '',
      handle: null,
      writes: Promise.resolve(),
      queuedBytes: 0,
      failure: null,
      backup: null,
      placed: false,
      retired: true,
    });
  }

  /** Every output fsynced, then all renamed into place, or none (earlier renames undone). */
  async commit(): Promise<void> {
    // Every queued write done (or its failure thrown), then the outputs flushed to disk together.
    await Promise.all(this.entries.map((e) => e.writes));
    await Promise.all(
      this.entries.map((e) =>
        attempt(e.target, async () => {
          if (e.retired) return;
          await e.handle!.sync();
          await e.handle!.close();
          e.handle = null;
        }),
      ),
    );
    try {
      for (const e of this.entries) {
        await attempt(e.target, async () => {
          const existing = await lstat(e.target).catch(() => null);
          if (existing?.isDirectory()) throw Object.assign(new Error(`${e.target} is a directory`), { code: 'EISDIR' });
          if (existing) {
            const backup = tempName(e.target, 'bak');
            await rename(e.target, backup);
            e.backup = backup;
          }
          if (e.retired) return;
          await rename(e.temp, e.target);
          e.placed = true;
        });
      }
    } catch (err) {
      this.rollback();
      await this.abort();
      throw err;
    }
    this.done = true;
    for (const e of this.entries) if (e.backup) await unlink(e.backup).catch(() => undefined);
    await syncFolders(this.entries.map((e) => path.dirname(e.target)));
    live.delete(this);
  }

  /** Removes the temps (and puts set-aside targets back); safe to call more than once. */
  async abort(): Promise<void> {
    for (const e of this.entries) {
      await e.writes.catch(() => undefined);
      await e.handle?.close().catch(() => undefined);
      e.handle = null;
    }
    this.cleanupSync();
    live.delete(this);
  }

  /** Undo a commit in progress: new files out, previous ones back. Synchronous, for signal handlers too. */
  private rollback(): void {
    for (const e of [...this.entries].reverse()) {
      try {
        if (e.retired) {
          if (e.backup && !exists(e.target)) renameSync(e.backup, e.target);
        } else if (e.placed) {
          if (e.backup) renameSync(e.backup, e.target);
          else unlinkSync(e.target);
        } else if (e.backup && !exists(e.target)) renameSync(e.backup, e.target);
        e.placed = false;
        e.backup = null;
      } catch {
        // keep going: every other output still gets restored
      }
    }
  }

  /** Temps removed, synchronously (what a signal or exit handler can still do). */
  cleanupSync(): void {
    if (this.done) return;
    this.rollback();
    for (const e of this.entries) {
      if (e.retired) continue;
      try {
        unlinkSync(e.temp);
      } catch {
        // never created, or already renamed or removed
      }
    }
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** fsync of the folders, so the renames themselves survive a crash (best effort: not every platform can). */
async function syncFolders(dirs: readonly string[]): Promise<void> {
  for (const dir of new Set(dirs)) {
    try {
      const h = await open(dir, 'r');
      await h.sync().finally(() => h.close());
    } catch {
      // Windows cannot open a folder for syncing; the data itself was synced
    }
  }
}

/**
 * A new folder, filled under a temp name beside `target` and renamed into place by place();
 * until then, any failure, Ctrl-C or SIGTERM removes it (remove() does it by hand). `target`
 * must not exist: place() fails if it does.
 */
export class OutputFolder {
  private placed = false;
  private removed = false;

  private constructor(
    readonly target: string,
    /** Where to write the folder's files until place(). */
    readonly temp: string,
  ) {}

  static async create(target: string): Promise<OutputFolder> {
    const folder = new OutputFolder(target, tempName(target, 'tmp'));
    installSignalCleanup();
    await attempt(target, () => mkdir(folder.temp));
    live.add(folder);
    return folder;
  }

  async place(): Promise<void> {
    if (await lstat(this.target).catch(() => null)) throw new OutputError(this.target, Object.assign(new Error(`${this.target} exists`), { code: 'EEXIST' }));
    await attempt(this.target, () => rename(this.temp, this.target));
    this.placed = true;
    await syncFolders([path.dirname(this.target)]);
  }

  /** Removes the folder (placed or not): for a run that fails after place(). */
  async remove(): Promise<void> {
    this.removed = true;
    await rm(this.placed ? this.target : this.temp, { recursive: true, force: true });
    live.delete(this);
  }

  /** Done: the folder stays. */
  keep(): void {
    live.delete(this);
  }

  cleanupSync(): void {
    if (this.removed) return;
    try {
      rmSync(this.placed ? this.target : this.temp, { recursive: true, force: true });
    } catch {
      // already gone
    }
  }
}

/** Small outputs written whole: [target, contents] in commit order, all or none. */
export async function writeOutputs(files: readonly (readonly [string, string | Uint8Array])[]): Promise<void> {
  const outputs = await Outputs.open(files.map(([t]) => t));
  try {
    for (const [target, data] of files) await outputs.file(target).write(data);
    await outputs.commit();
  } catch (e) {
    await outputs.abort();
    throw e;
  }
}

let installed = false;

/** On SIGINT/SIGTERM: remove the temps of every open Outputs, then die of the same signal. */
function installSignalCleanup(): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals) => {
    for (const o of live) o.cleanupSync();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.kill(process.pid, signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => {
    for (const o of live) o.cleanupSync();
  });
}
