/**
 * Routes: `#/review` is the lead's review page (a lazily loaded chunk); anything else is the
 * annotator workspace. `?pack=<url>` picks the task pack (default: the bundled demo) and
 * `?annotator=<id>` the annotator. On a collection server, `?invite=TOKEN` signs an annotator
 * in and `?lead=TOKEN` the lead (features/collection/startMode.ts); the sign-in is kept, so the
 * page opens on the server's work until Sign out.
 */
import { lazy, Suspense, useEffect, useState, useSyncExternalStore } from 'react';
import { readStartMode, type StartMode } from '../features/collection/startMode.ts';
// The JavaScript budget (180 KB gzipped per annotator page, measured by `npm run bench` over
// every script a page loads): each annotator page loads this entry and its own chunk, the static
// mode's pack loading or the collection server's session and screens. What several chunks
// share is imported here, so the bundler keeps it in the entry rather than in small shared
// chunks (each costs a request and compresses apart): the workspace, the finished and
// other-tab screens, and the server client with its outbox sender (the lead's page uses them too).
import '../features/annotate/Workspace.tsx';
import '../features/annotate/OtherTab.tsx';
import '../features/annotate/FinishedScreen.tsx';
import '../features/collection/outboxSender.ts';

const AnnotatorApp = lazy(() => import('../features/annotate/AnnotatorApp.tsx').then((m) => ({ default: m.AnnotatorApp })));
const CollectionApp = lazy(() => import('../features/collection/CollectionApp.tsx').then((m) => ({ default: m.CollectionApp })));
const ReviewPage = lazy(() => import('../features/review/ReviewPage.tsx'));
const LeadDashboard = lazy(() => import('../features/dashboard/LeadDashboard.tsx'));

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
