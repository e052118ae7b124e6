/**
 * The page's side of the service worker (serviceWorker.ts): registers it in a build, and applies
 * a new version without ever changing the screen under an annotator. The new version installs in
 * the background; it takes over once every write to IndexedDB has settled (the outbox, drafts and
 * the held items are there, and the new version reads them) and at a moment the screen changes
 * anyway: at once when no item is on screen (a sign-in page, the finished screen, the review
 * page), else at the next item change (Submit, Next, Previous, the Queue). The page then reloads
 * into the new version, on the same work. A page left open checks for a new version every hour.
 */
import { useWorkspaceStore } from '../features/annotate/workspaceStore.ts';
import { whenStorageIdle } from '../storage/writeQueue.ts';

const UPDATE_CHECK_MS = 60 * 60_000;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { updateViaCache: 'none' }).then(watchForUpdates, (e: unknown) => {
      console.warn('richhf: the app could not be kept for offline use', e);
    });
  };
  // After the page's own loading: the app's files are fetched once more by the worker.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

function watchForUpdates(reg: ServiceWorkerRegistration | undefined): void {
  // Some test harnesses (Playwright's serviceWorkers: 'block') answer register() with nothing.
  if (!reg) return;
  // A worker installed while no worker controlled this page is its first: this page runs it already.
  const check = () => {
    if (reg.waiting && navigator.serviceWorker.controller) applyWhenSafe(reg.waiting);
  };
  reg.addEventListener('updatefound', () => {
    const w = reg.installing;
    w?.addEventListener('statechange', () => {
      if (w.state === 'installed') check();
    });
  });
  check();
  setInterval(() => {
    reg.update().catch(() => undefined);
  }, UPDATE_CHECK_MS);
}

let applying = false;

/** An item is on screen: the annotator's workspace shows its canvas. */
const itemOnScreen = () => document.querySelector('.canvas') !== null;

function applyWhenSafe(worker: ServiceWorker): void {
  if (applying) return;
  applying = true;
  let unsubscribe: (() => void) | null = null;
  const apply = () => {
    unsubscribe?.();
    unsubscribe = null;
    whenStorageIdle().then(
      () => {
        navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
        worker.postMessage({ type: 'SKIP_WAITING' });
      },
      (e: unknown) => console.warn('richhf: the new version waits (storage is busy)', e),
    );
  };
  if (!itemOnScreen()) {
    apply();
    return;
  }
  unsubscribe = useWorkspaceStore.subscribe((s, prev) => {
    if (s.index !== prev.index || s.finished !== prev.finished || s.phase !== prev.phase) apply();
  });
}
