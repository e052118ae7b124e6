/**
 * Routes: `#/review` is the lead's review page (a lazily loaded chunk); anything else is the
 * annotator workspace. `?pack=<url>` picks the task pack (default: the bundled demo) and
 * `?annotator=<id>` the annotator. On a collection server, `?invite=TOKEN` signs an annotator
 * in and `?lead=TOKEN` the lead (features/collection/startMode.ts), and a crowd study's
 * `?study=TOKEN&…` enrols a participant first (StudyEnrol.tsx); the sign-in is kept, so the
 * page opens on the server's work until Sign out. Without a sign-in, a collection server's pages
 * are its own (serverProbe.ts asks `/api/v1/health`): the root names the server's pack and how
 * to sign in, `#/review` is the lead's sign-in; the static app and its demo are what a static
 * site serves (or `?pack=` / `?annotator=` ask for).
 */
import { lazy, Suspense, useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { Health } from '../core/formats/api.ts';
import { chunkComponent } from '../features/chunkComponent.tsx';
import { probeServer } from '../features/collection/serverProbe.ts';
import { readStartMode, startModeHint, type StartMode } from '../features/collection/startMode.ts';
import type { AnnotatorSignIn } from '../storage/records/signIn.ts';

// Each way of working is a chunk of its own, loaded when the page knows which it is (vite.config.ts
// names the chunks: `base`, the entry, holds React, Konva, zod, the formats and the workspace that
// both share; `static` the static app's pack opening and file import; `server` the collection
// client). An address that says which (`?annotator=`, `?pack=`, `?invite=`, a study link) asks
// for its chunk at once, beside reading the kept sign-in; otherwise the sign-in decides.
// Each renders at once when its chunk is in (chunkComponent.tsx): a lazy component that suspends
// shows its fallback, and React then holds the content back for up to 300 ms, which made the
// first item 0.3 s later.
const loading = <p className="loading">Loading…</p>;
const AnnotatorApp = chunkComponent(
  () => import('../features/annotate/AnnotatorApp.tsx'),
  (m) => m.AnnotatorApp,
  loading,
);
const CollectionApp = chunkComponent(
  () => import('../features/collection/CollectionApp.tsx'),
  (m) => m.CollectionApp,
  loading,
);
const hinted = startModeHint();
if (hinted === 'server') void CollectionApp.preload();
else if (hinted === 'static') void AnnotatorApp.preload();
// The lead's pages are one more chunk.
const reviewChunk = () => import('./reviewChunk.ts');
const ReviewPage = lazy(() => reviewChunk().then((m) => ({ default: m.ReviewPage })));
const LeadDashboard = lazy(() => reviewChunk().then((m) => ({ default: m.LeadDashboard })));
const ServerHome = lazy(() => reviewChunk().then((m) => ({ default: m.ServerHome })));
const StudyEnrol = lazy(() => reviewChunk().then((m) => ({ default: m.StudyEnrol })));

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
    readStartMode().then(
      async (m) => {
        // Asked for before the server probe is answered (a page with no sign-in waits for it; on a
        // collection server its answer shows the server's own page instead, and the static chunk
        // was loaded for nothing). A study link enrols first (the server chunk, asked for above).
        // The page goes on once the chunk is in ("Loading…" meanwhile), so it renders without
        // suspending; a chunk that fails to load is left to the lazy component to report.
        const chunk =
          m.annotator !== null || m.badInvite !== null ? CollectionApp.preload() : !m.study && !window.location.hash.startsWith('#/review') ? AnnotatorApp.preload() : null;
        await chunk;
        setMode(m);
      },
      (e: unknown) => {
        console.warn('richhf: the sign-in could not be read', e);
        setMode({ annotator: null, lead: null, badInvite: null, badLead: null, staticMode: false, study: null });
      },
    );
    // Asked at once, beside the sign-in; waited for only by a page with no sign-in.
    void probeServer().then((health) => setServer({ health }));
  }, []);

  // Enrolled through a study link: on as that annotator, as after an invite.
  const onEnrolled = useCallback((annotator: AnnotatorSignIn) => setMode((m) => m && { ...m, study: null, annotator, badInvite: null, staticMode: false }), []);

  if (!mode) return <p className="loading">Loading…</p>;
  if (mode.study && !isReview) {
    return (
      <Suspense fallback={<p className="loading">Joining the study…</p>}>
        <StudyEnrol link={mode.study} onEnrolled={onEnrolled} />
      </Suspense>
    );
  }
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
  return signedIn ? <CollectionApp signIn={mode.annotator} badLink={mode.badInvite} /> : <AnnotatorApp />;
}
