/**
 * When the page loads the code its first item's view does not need (the finished screens, a
 * training item's feedback, the sign-in screen): once the first item is drawn and can be
 * annotated (Canvas.tsx calls `firstItemReady`), when the page is next idle. So those chunks never
 * compete with the first item's image and code, and `npm run bench` counts them apart from the
 * first screen. A page whose first item never shows (an image that does not load) loads them
 * after BACKSTOP_MS all the same, so a later screen still renders at once (chunkComponent.tsx).
 */

/** How long a page waits for its first item before it loads the later chunks anyway (ms). */
const BACKSTOP_MS = 5000;
/** The latest an idle page's later chunks start, once the first item is on show (ms). */
const IDLE_TIMEOUT_MS = 2000;

let ready = false;
const waiting = new Set<() => void>();

/** The first item is drawn (called on every item; only the first call counts). */
export function firstItemReady(): void {
  if (ready) return;
  ready = true;
  for (const go of [...waiting]) go();
}

/** Runs `load` once the first item is on show and the page is idle; the returned function cancels it. */
export function loadLater(load: () => void): () => void {
  let cancelIdle: (() => void) | null = null;
  let backstop: ReturnType<typeof setTimeout> | undefined;
  const go = () => {
    waiting.delete(go);
    clearTimeout(backstop);
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(load, { timeout: IDLE_TIMEOUT_MS });
      cancelIdle = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(load, 0);
      cancelIdle = () => clearTimeout(id);
    }
  };
  if (ready) go();
  else {
    waiting.add(go);
    backstop = setTimeout(go, BACKSTOP_MS);
  }
  return () => {
    waiting.delete(go);
    clearTimeout(backstop);
    cancelIdle?.();
  };
}
