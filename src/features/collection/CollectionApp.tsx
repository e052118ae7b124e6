/**
 * The annotator page on a collection server: signing in, the workspace on the items the server
 * hands out (annotatorSession.ts), the finished screen, and clear pages when the token is
 * refused or the server cannot be reached.
 */
import { useEffect } from 'react';
import type { AnnotatorSignIn } from '../../storage/records/signIn.ts';
import { OtherTab } from '../annotate/OtherTab.tsx';
import { installAutosave } from '../annotate/session.ts';
import { Workspace } from '../annotate/Workspace.tsx';
import { useWorkspaceStore } from '../annotate/workspaceStore.ts';
import { retryNow, startCollection } from './annotatorSession.ts';
import { signedOut, useCollectionStore } from './collectionStore.ts';
import { CollectionBar, CollectionMessages, OutboxMessages } from './CollectionBar.tsx';
import { useOutboxStore } from './outboxStore.ts';
import { OutboxIndicator } from './OutboxIndicator.tsx';
import { useTrainingFeedbackStore } from './trainingFeedbackStore.ts';
import { PairWorkspace, preloadLaterScreens, ServerFinished, SignInScreen, TrainingFeedback } from './chunkScreens.tsx';
import './collection.css';

/**
 * On a pack with gold items the server hands every item out under an opaque id ("i" and 22
 * characters, README "Serving gold"): the top bar calls it by its place among the items this page
 * holds (the order the server handed them out) instead. Other ids are shown as they are.
 */
const OPAQUE_ID = /^i[A-Za-z0-9_-]{22}$/;
const itemName = (id: string, index: number) => (OPAQUE_ID.test(id) ? `no. ${index + 1}` : id);

const opening = <p className="loading">Opening your work…</p>;

export function CollectionApp({ signIn, badLink }: { signIn: AnnotatorSignIn | null; badLink: string | null }) {
  const phase = useCollectionStore((s) => s.phase);
  const work = useWorkspaceStore((s) => s.phase);
  const waiting = useCollectionStore((s) => s.waiting);
  const done = useCollectionStore((s) => s.done);
  const pack = useCollectionStore((s) => s.pack);
  const annotator = useCollectionStore((s) => s.annotator);
  const outboxWaits = useOutboxStore((s) => s.waiting > 0);
  const feedback = useTrainingFeedbackStore((s) => s.queue[0]);
  const view = useCollectionStore((s) => s.view);

  useEffect(() => installAutosave(), []);
  useEffect(() => {
    if (signIn && !badLink) void startCollection(signIn);
    else signedOut(badLink);
  }, [signIn, badLink]);
  // Once the work is on show, the later screens' code comes in the background.
  const working = phase.kind === 'working';
  useEffect(() => (working ? preloadLaterScreens() : undefined), [working]);

  // Feedback on a training item comes with its acknowledgement and opens over the work (or the finished screen).
  if (feedback && (phase.kind === 'working' || phase.kind === 'finished')) {
    return <TrainingFeedback feedback={feedback} />;
  }
  switch (phase.kind) {
    case 'connecting':
      return <p className="loading">Signing in to the collection server…</p>;
    case 'signedOut':
      // Sign out only for a token that once signed someone in (on an earlier visit, or in this one).
      return <SignInScreen message={phase.message} canForget={phase.message !== null && (signIn?.annotator !== undefined || annotator !== null)} />;
    case 'unreachable':
      return (
        <main className="center-card">
          <h1>The collection server cannot be reached</h1>
          <p role="status">{waiting ?? phase.message}</p>
          <p>
            <OutboxIndicator inline />
          </p>
          <p>Your work here is kept; the page goes on by itself once the server answers.</p>
          <button type="button" onClick={retryNow}>
            Retry now
          </button>
        </main>
      );
    case 'finished':
      return <ServerFinished retryAfterMs={phase.retryAfterMs} />;
    case 'working':
      break;
  }
  if (view === 'pair') {
    return <PairWorkspace topBar={<CollectionBar />} floating={(idle) => <OutboxMessages idle={idle} />} counts={pack ? { done, total: pack.items } : undefined} />;
  }
  switch (work.kind) {
    case 'ready':
      return (
        <Workspace
          topBar={<CollectionBar />}
          floating={<CollectionMessages />}
          savedOnlyHere={outboxWaits}
          counts={pack ? { done, total: pack.items } : undefined}
          itemName={itemName}
        />
      );
    case 'busy':
    case 'lost':
      return <OtherTab lost={work.kind === 'lost'} />;
    case 'error':
      return (
        <main className="center-card">
          <h1>{work.title}</h1>
          <ul role="alert" className="errors">
            {work.errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        </main>
      );
    default:
      return opening;
  }
}
