import { packImageRef } from '../formats/packPath.ts';

/** An item's image that cannot be carried: unreadable, not an image, or not the size the pack says. */
export class ImageFileError extends Error {}

/**
 * An image file's bytes, read only when its page is written: its length and its first bytes
 * (enough to tell its size: readImageSize) now, the whole file by the sink, into memory of its
 * own, when the bytes go out (ShardSink.write). The Parquet writer thread's images
 * (node/packImage.ts): a row group's images are written only once the group is complete, and
 * holding them until then (64 MiB a group) sent every byte out to memory and back before it was
 * copied into the file; read at the moment they are written, they are copied while they are
 * still in the processor's cache.
 */
export interface DeferredBytes {
  readonly length: number;
  /** The file's first bytes (all of them when its size needs more). */
  readonly head: Uint8Array;
  /** Reads the whole file into `into` (exactly `length` bytes long); an ImageFileError when it has changed since. */
  fill(into: Uint8Array): void;
}

/** Bytes in memory, or read when written. */
export type ImageBytes = Uint8Array | DeferredBytes;

export function isDeferred(bytes: unknown): bytes is DeferredBytes {
  return typeof bytes === 'object' && bytes !== null && !(bytes instanceof Uint8Array) && typeof (bytes as DeferredBytes).fill === 'function';
}

/** The file name an Image feature stores: the last segment of the pack's path or URL. */
export function imageFileName(ref: string): string | null {
  const r = packImageRef(ref);
  if (!r.ok) return null;
  if (r.value.kind === 'path') return r.value.path[r.value.path.length - 1] ?? null;
  const last = new URL(r.value.url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || null;
  } catch {
    return last || null;
  }
}
