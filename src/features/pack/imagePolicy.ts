/**
 * The page's Content Security Policy for images, narrowed to what the open pack needs.
 * index.html's policy must let the pack itself be fetched from any http(s) origin (`?pack=`
 * may point anywhere), so it cannot know where the images will come from. Once a pack is
 * loaded, its image origins are known and a second policy is added to the page: images only
 * from the page's own origin, blob: (a pack opened from disk) and the origins the pack's
 * http(s) image URLs name; fetches only from the page's own origin. A page enforces every
 * policy it has, so this only ever narrows what is allowed (a server sending its own CSP
 * header narrows further); one page load opens one URL pack, so nothing needs widening.
 */

/** The policy a pack with these image URLs needs (`pageOrigin`'s own images are 'self'). */
export function imagePolicy(imageUrls: readonly string[], pageOrigin: string): string {
  const origins = new Set<string>();
  for (const u of imageUrls) {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      continue;
    }
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== pageOrigin) origins.add(url.origin);
  }
  return [
    `img-src 'self' blob:${[...origins]
      .sort()
      .map((o) => ` ${o}`)
      .join('')}`,
    "connect-src 'self' blob:",
  ].join('; ');
}

/** Adds the narrowed policy for a loaded pack to the page. */
export function restrictToPackImages(imageUrls: readonly string[]): void {
  const meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = imagePolicy(imageUrls, window.location.origin);
  meta.dataset.richhf = 'pack-images';
  document.head.append(meta);
}
