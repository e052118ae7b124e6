import { useWorkspaceStore } from '../annotate/workspaceStore.ts';
import { signOut } from './annotatorSession.ts';
import { useCollectionStore } from './collectionStore.ts';
import { OutboxIndicator, OutboxPanel } from './OutboxIndicator.tsx';

/** The workspace's top bar on a collection server: the outbox's count and Sign out (the annotator's name follows). */
export function CollectionBar() {
  const annotator = useCollectionStore((s) => s.annotator);
  return (
    <>
      <OutboxIndicator />
      <button type="button" onClick={() => void signOut()} title={`Signed in to the collection server as ${annotator}`}>
        Sign out
      </button>
    </>
  );
}

/** What the outbox has to say, floating over the image below the toolbar (Workspace's `floating`). */
export function CollectionMessages() {
  // Only worth saying while the annotator has nothing unfinished to work on.
  const idle = useWorkspaceStore((s) => s.loaded !== null && s.loaded.pack.items.every((it) => s.submitted.has(it.id)));
  return <OutboxMessages idle={idle} />;
}

/** The same for a workspace that knows itself whether everything it holds is submitted (the pair workspace). */
export function OutboxMessages({ idle }: { idle: boolean }) {
  const waiting = useCollectionStore((s) => s.waiting);
  return <OutboxPanel idleMessage={idle ? (waiting ?? 'Waiting for the next item…') : null} />;
}
