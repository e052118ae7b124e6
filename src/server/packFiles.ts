import { createReadStream, type ReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

import { packImageRef, type PackPath } from '../core/formats/packPath.ts';

/**
 * The pack's own files (its images), served only from inside the pack's folder, in two steps:
 * 1. lexical: the pack path rule of src/core/formats/packPath.ts (the same for `richhf pack`,
 *    `validate`, `consolidate` and the browser), which the pack's schema already applied;
 * 2. on disk (resolvePackFile): the real path of the file (symlinks followed) must still be
 *    inside the real path of the pack's folder, so a symlink cannot lead out either.
 */
export type PackFileRef = { readonly kind: 'url' } | { readonly kind: 'file'; readonly segments: PackPath };

/** An item's image as the server serves it. `ref` has passed the pack schema, so it is valid. */
export function packFileRef(ref: string): PackFileRef {
  const r = packImageRef(ref);
  if (!r.ok) throw new Error(`unchecked pack image reference: ${r.reason}`);
  return r.value.kind === 'url' ? { kind: 'url' } : { kind: 'file', segments: r.value.path };
}

export type ResolvedPackFile = { readonly ok: true; readonly path: string; readonly size: number } | { readonly ok: false; readonly reason: 'outside' | 'missing' };

/** The file an item's image names, if it exists inside the pack's folder (symlinks resolved). */
export async function resolvePackFile(packDir: string, segments: readonly string[]): Promise<ResolvedPackFile> {
  let real: string;
  let root: string;
  try {
    root = await realpath(packDir);
    real = await realpath(path.join(packDir, ...segments));
  } catch {
    return { ok: false, reason: 'missing' };
  }
  if (!real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) return { ok: false, reason: 'outside' };
  const s = await stat(real).catch(() => undefined);
  if (!s?.isFile()) return { ok: false, reason: 'missing' };
  return { ok: true, path: real, size: s.size };
}

/** The first bytes of a pack file (image headers), or undefined when it cannot be read. */
export async function readPackFileStart(packDir: string, segments: readonly string[], bytes = 64 * 1024): Promise<Uint8Array | undefined> {
  const file = await resolvePackFile(packDir, segments);
  if (!file.ok) return undefined;
  const handle = await open(file.path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(bytes, file.size));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return new Uint8Array(buf.buffer, buf.byteOffset, bytesRead);
  } finally {
    await handle.close();
  }
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml',
};

export function imageContentType(file: string): string {
  return IMAGE_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function packFileStream(file: string): ReadStream {
  return createReadStream(file);
}
