import { packImageRef } from '../formats/packPath.ts';

/** An item's image that cannot be carried: unreadable, not an image, or not the size the pack says. */
export class ImageFileError extends Error {}

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
