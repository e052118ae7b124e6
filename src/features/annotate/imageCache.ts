/**
 * Images by URL, loaded and decoded ahead of time so that moving to the next item is instant.
 * A small LRU keeps the current, previous and prefetched images.
 */
const MAX = 12;
const cache = new Map<string, Promise<HTMLImageElement>>();

export function loadImage(url: string): Promise<HTMLImageElement> {
  const hit = cache.get(url);
  if (hit) {
    cache.delete(url);
    cache.set(url, hit);
    return hit;
  }
  const p = new Promise<HTMLImageElement>((resolve, reject) => {
    const img = new Image();
    img.decoding = 'async';
    img.onload = () => {
      img.decode().then(
        () => resolve(img),
        () => resolve(img),
      );
    };
    img.onerror = () => reject(new Error('the image could not be loaded'));
    img.src = url;
  });
  p.catch(() => cache.delete(url));
  cache.set(url, p);
  while (cache.size > MAX) cache.delete(cache.keys().next().value!);
  return p;
}

export function prefetch(url: string | undefined): void {
  if (url) loadImage(url).catch(() => {});
}
