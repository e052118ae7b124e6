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
import { CollectionBar, CollectionMessages } from './CollectionBar.tsx';
import { useOutboxStore } from './outboxStore.ts';
import { ServerFinished } from './ServerFinished.tsx';
import { OutboxIndicator } from './OutboxIndicator.tsx';
import { SignInScreen } from './SignInScreen.tsx';
import './collection.css';

export function CollectionApp({ signIn, badLink }: { signIn: AnnotatorSignIn | null; badLink: string | null }) {
  const phase = useCollectionStore((s) => s.phase);
  const work = useWorkspaceStore((s) => s.phase);
  const waiting = useCollectionStore((s) => s.waiting);
  const done = useCollectionStore((s) => s.done);
  const pack = useCollectionStore((s) => s.pack);
  const annotator = useCollectionStore((s) => s.annotator);
  const outboxWaits = useOutboxStore((s) => s.waiting > 0);

  useEffect(() => installAutosave(), []);
  useEffect(() => {
    if (signIn && !badLink) void startCollection(signIn);
    else signedOut(badLink);
  }, [signIn, badLink]);

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
  switch (work.kind) {
    case 'ready':
      return <Workspace topBar={<CollectionBar />} floating={<CollectionMessages />} savedOnlyHere={outboxWaits} counts={pack ? { done, total: pack.items } : undefined} />;
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
      return <p className="loading">Opening your work…</p>;
  }
}
