import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { packImageRef } from '../core/formats/packPath.ts';
import { ImageFileError } from '../core/parquet/imageFile.ts';

/**
 * An item's image file as bytes, for exports that carry their images (Parquet): a path inside
 * the pack's folder (the pack path rule, then the real path, symlinks followed, must still be
 * inside the folder's real path), or an http(s) URL fetched with a time limit. Failures are
 * PackImageErrors naming the item and the reason.
 */
export class PackImageError extends ImageFileError {}

const FETCH_TIMEOUT_MS = 60_000;

/**
 * Where a file's bytes go, given its size and the key the caller passed (the Parquet writer
 * thread's ImageArena, by split); without one, each file gets a buffer of its own.
 */
export type ImageAllocator = (size: number, key: string) => Uint8Array<ArrayBuffer>;

/** Files up to this size are read into the allocator's memory; larger ones (or of unknown size) as readFile reads them. */
const MAX_ALLOCATED_BYTES = 1 << 30;

export function packImageReader(packDir: string, allocate?: ImageAllocator): (ref: string, itemId: string, key?: string) => Promise<Uint8Array> {
  let root: Promise<string> | undefined;
  return async (ref, itemId, key = '') => {
    const fail = (why: string) => new PackImageError(`item "${itemId}": image ${JSON.stringify(ref)}: ${why}`);
    const r = packImageRef(ref);
    if (!r.ok) throw fail(r.reason);
    if (r.value.kind === 'url') {
      let res: Response;
      try {
        res = await fetch(r.value.url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      } catch (e) {
        throw fail(`cannot fetch: ${(e as Error).message}`);
      }
      if (!res.ok) throw fail(`the server answered ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    }
    root ??= realpath(packDir);
    let real: string;
    let base: string;
    try {
      base = await root;
      real = await realpath(path.join(packDir, ...r.value.path));
    } catch {
      throw fail('no such file');
    }
    if (!real.startsWith(base.endsWith(path.sep) ? base : base + path.sep)) throw fail("leads outside the pack's folder");
    try {
      return await readWhole(real, allocate && ((size) => allocate(size, key)));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw fail(code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message);
    }
  };
}

/**
 * A file's bytes, as fs.readFile reads them (its size from fstat, read until then or the end),
 * into memory from `allocate` when given; a file that is not regular, empty by its size or very
 * large is read by readFile itself.
 */
async function readWhole(file: string, allocate: ((size: number) => Uint8Array<ArrayBuffer>) | undefined): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const st = allocate ? await handle.stat() : undefined;
    if (!allocate || !st || !st.isFile() || st.size === 0 || st.size > MAX_ALLOCATED_BYTES) {
      const buf = await handle.readFile();
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    const bytes = allocate(st.size);
    let done = 0;
    while (done < bytes.length) {
      const { bytesRead } = await handle.read(bytes, done, bytes.length - done, done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === bytes.length ? bytes : bytes.subarray(0, done);
  } finally {
    await handle.close();
  }
}
