import { readFile, realpath } from 'node:fs/promises';
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

export function packImageReader(packDir: string): (ref: string, itemId: string) => Promise<Uint8Array> {
  let root: Promise<string> | undefined;
  return async (ref, itemId) => {
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
      const buf = await readFile(real);
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw fail(code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message);
    }
  };
}
