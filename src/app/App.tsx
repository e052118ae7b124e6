/**
 * Routes: `#/review` is the lead's review page (a lazily loaded chunk); anything else is the
 * annotator workspace. `?pack=<url>` picks the task pack (default: the bundled demo) and
 * `?annotator=<id>` the annotator.
 */
import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { AnnotatorApp } from '../features/annotate/AnnotatorApp.tsx';

const ReviewPage = lazy(() => import('../features/review/ReviewPage.tsx'));

function subscribeHash(cb: () => void) {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
}

export function App() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  const isReview = hash.startsWith('#/review');
  const [title] = useState(() => document.title);
  useEffect(() => {
    document.title = isReview ? `Review · ${title}` : title;
  }, [isReview, title]);
  if (isReview) {
    return (
      <Suspense fallback={<p className="loading">Loading the review page…</p>}>
        <ReviewPage />
      </Suspense>
    );
  }
  return <AnnotatorApp />;
}
