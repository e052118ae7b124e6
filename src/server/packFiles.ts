import { createReadStream, type ReadStream } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * The pack's own files (its images), served only from inside the pack's folder. The whole rule
 * is here, in two steps:
 * 1. lexical (packFileRef): an item's `image` that is not a URL is a relative URL path, as the
 *    browser reads it in static mode (`images/a%20b.png`, an optional `./`); after
 *    percent-decoding, no segment may be `..`, empty, or contain a slash, a backslash or NUL, and
 *    absolute paths are refused;
 * 2. on disk (resolvePackFile): the real path of the file (symlinks followed) must still be
 *    inside the real path of the pack's folder, so a symlink cannot lead out either.
 */
export type PackFileRef = { readonly kind: 'url' } | { readonly kind: 'file'; readonly segments: readonly string[] } | { readonly kind: 'invalid'; readonly reason: string };

export function packFileRef(ref: string): PackFileRef {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(ref)) return { kind: 'url' };
  if (ref.startsWith('/') || ref.startsWith('\\')) return { kind: 'invalid', reason: 'is an absolute path; image paths are relative to the pack' };
  const pathPart = ref.split(/[?#]/, 1)[0]!;
  if (pathPart.includes('\\')) return { kind: 'invalid', reason: 'contains a backslash; use / between folders' };
  const segments: string[] = [];
  for (const raw of pathPart.split('/')) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return { kind: 'invalid', reason: 'has a malformed %-escape' };
    }
    if (s === '.' && segments.length === 0) continue;
    if (s === '..') return { kind: 'invalid', reason: 'leaves the pack\'s folder ("..")' };
    if (s === '' || s === '.' || /[/\\\0]/.test(s)) return { kind: 'invalid', reason: 'is not a plain relative path (empty or "." segment, or an encoded slash)' };
    segments.push(s);
  }
  if (segments.length === 0) return { kind: 'invalid', reason: 'names no file' };
  return { kind: 'file', segments };
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
