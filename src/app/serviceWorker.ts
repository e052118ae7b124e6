/// <reference lib="webworker" />
/**
 * The app's service worker: `sw.js`, beside index.html in a build (vite.config.ts builds it and
 * gives it the list of the app's files), so a reload or a new tab opens the app without the
 * network, on the work the browser holds (README "Offline and updates").
 *
 * - The app shell (index.html, the scripts, styles and workers of this build) is precached and
 *   served from the cache; every navigation inside the app's folder is index.html (the routes
 *   are in the hash, the tokens in the query), never the API.
 * - Images the collection server signs (`/api/v1/images/…?exp&sig`: one URL, one image) are kept
 *   once loaded (the last 200), so the items an annotator holds show offline.
 * - Other files beside the app (the demo pack, a `?pack=` pack on the same origin and its images)
 *   come from the network when it answers, else from what was last fetched (the last 500).
 * - Nothing else of the API is cached: answers are per user and change all the time.
 *
 * A new version installs in the background and waits; the page lets it take over (SKIP_WAITING)
 * only at a moment when nothing is lost and nothing moves under the annotator, then reloads
 * (serviceWorkerClient.ts).
 */
import { clientsClaim } from 'workbox-core';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst } from 'workbox-strategies';
import type { WorkboxPlugin } from 'workbox-core/types.js';

declare const self: ServiceWorkerGlobalScope;
/** The build's files (URLs relative to this script; `revision` null for names that carry a content hash). */
declare const __RICHHF_PRECACHE__: { url: string; revision: string | null }[];

/** Keeps only the newest `max` entries of a runtime cache (in the order they were stored). */
function keepNewest(max: number): WorkboxPlugin {
  return {
    cacheDidUpdate: async ({ cacheName }) => {
      const cache = await caches.open(cacheName);
      const keys = await cache.keys();
      await Promise.all(keys.slice(0, Math.max(0, keys.length - max)).map((k) => cache.delete(k)));
    },
  };
}

const sameOrigin = (url: URL) => url.origin === self.location.origin;

precacheAndRoute(__RICHHF_PRECACHE__);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html'), { denylist: [/\/api\//] }));
registerRoute(({ url }) => sameOrigin(url) && url.pathname.startsWith('/api/v1/images/'), new CacheFirst({ cacheName: 'richhf-server-images', plugins: [keepNewest(200)] }));
registerRoute(
  ({ url, request }) => sameOrigin(url) && !url.pathname.includes('/api/') && request.mode !== 'navigate',
  new NetworkFirst({ cacheName: 'richhf-pack-files', plugins: [keepNewest(500)] }),
);

// The first version takes the open pages at once (they run it already); a later one waits for the page's word.
clientsClaim();
self.addEventListener('message', (e: ExtendableMessageEvent) => {
  if ((e.data as { type?: unknown } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
