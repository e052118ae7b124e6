/**
 * Routes: `#/review` is the lead's review page (a lazily loaded chunk); anything else is the
 * annotator workspace. `?pack=<url>` picks the task pack (default: the bundled demo) and
 * `?annotator=<id>` the annotator. On a collection server, `?invite=TOKEN` signs an annotator
 * in and `?lead=TOKEN` the lead (features/collection/startMode.ts); the sign-in is kept, so the
 * page opens on the server's work until Sign out.
 */
import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
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

function subscribeHash(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function App() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  const isReview = hash.startsWith('#/review');
  const [title] = useState(() => document.title);
  const [mode, setMode] = useState<StartMode | null>(null);
  useEffect(() => {
    document.title = isReview ? `Review · ${title}` : title;
  }, [isReview, title]);
  useEffect(() => {
    readStartMode().then(setMode, (e: unknown) => {
      console.warn('richhf: the sign-in could not be read', e);
      setMode({ annotator: null, lead: null, badInvite: null, badLead: null });
    });
  }, []);

  if (!mode) return <p className="loading">Loading…</p>;
  if (isReview) {
    return (
      <Suspense fallback={<p className="loading">Loading the review page…</p>}>
        {mode.lead || mode.badLead ? <LeadDashboard signIn={mode.lead} badLink={mode.badLead} /> : <ReviewPage />}
      </Suspense>
    );
  }
  return (
    <Suspense fallback={<p className="loading">Loading…</p>}>
      {mode.annotator || mode.badInvite ? <CollectionApp signIn={mode.annotator} badLink={mode.badInvite} /> : <AnnotatorApp />}
    </Suspense>
  );
}
