/**
 * Routes: `#/review` is the lead's review page (a lazily loaded chunk); anything else is the
 * annotator workspace. `?pack=<url>` picks the task pack (default: the bundled demo) and
 * `?annotator=<id>` the annotator. On a collection server, `?invite=TOKEN` signs an annotator
 * in and `?lead=TOKEN` the lead (features/collection/startMode.ts); the sign-in is kept, so the
 * page opens on the server's work until Sign out. Without a sign-in, a collection server's pages
 * are its own (serverProbe.ts asks `/api/v1/health`): the root names the server's pack and how
 * to sign in, `#/review` is the lead's sign-in; the static app and its demo are what a static
 * site serves (or `?pack=` / `?annotator=` ask for).
 */
import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import type { Health } from '../core/formats/api.ts';
import { probeServer } from '../features/collection/serverProbe.ts';
import { readStartMode, type StartMode } from '../features/collection/startMode.ts';
import { AnnotatorApp } from '../features/annotate/AnnotatorApp.tsx';
import { CollectionApp } from '../features/collection/CollectionApp.tsx';

// The lead's pages are the one lazily loaded chunk. With several (the static mode's and the
// server's annotator code apart, say), the bundler moves code the annotator page needs out of
// this entry into shared chunks that the page then loads as well, and it ends up larger (see the
// JavaScript budget in `npm run bench`).
const reviewChunk = () => import('./reviewChunk.ts');
const ReviewPage = lazy(() => reviewChunk().then((m) => ({ default: m.ReviewPage })));
const LeadDashboard = lazy(() => reviewChunk().then((m) => ({ default: m.LeadDashboard })));
const ServerHome = lazy(() => reviewChunk().then((m) => ({ default: m.ServerHome })));

function subscribeHash(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function App() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  const isReview = hash.startsWith('#/review');
  const [title] = useState(() => document.title);
  const [mode, setMode] = useState<StartMode | null>(null);
  /** The collection server serving this page (null: a static site), once known. */
  const [server, setServer] = useState<{ health: Health | null } | null>(null);
  useEffect(() => {
    document.title = isReview ? `Review · ${title}` : title;
  }, [isReview, title]);
  useEffect(() => {
    readStartMode().then(setMode, (e: unknown) => {
      console.warn('richhf: the sign-in could not be read', e);
      setMode({ annotator: null, lead: null, badInvite: null, badLead: null, staticMode: false });
    });
    // Asked at once, beside the sign-in; waited for only by a page with no sign-in.
    void probeServer().then((health) => setServer({ health }));
  }, []);

  if (!mode) return <p className="loading">Loading…</p>;
  const signedIn = isReview ? mode.lead !== null || mode.badLead !== null : mode.annotator !== null || mode.badInvite !== null;
  if (!signedIn && !mode.staticMode && !server) return <p className="loading">Loading…</p>;
  const health = signedIn || mode.staticMode ? null : (server?.health ?? null);
  if (isReview) {
    return (
      <Suspense fallback={<p className="loading">Loading the review page…</p>}>
        {signedIn || health ? <LeadDashboard signIn={mode.lead} badLink={mode.badLead} /> : <ReviewPage />}
      </Suspense>
    );
  }
  if (health) return <ServerHome health={health} />;
  return <Suspense fallback={<p className="loading">Loading…</p>}>{signedIn ? <CollectionApp signIn={mode.annotator} badLink={mode.badInvite} /> : <AnnotatorApp />}</Suspense>;
}
