import { useWorkspaceStore } from '../annotate/workspaceStore.ts';
import { showSubmitted, signOut, useCollectionStore } from './annotatorSession.ts';
import { OutboxIndicator } from './OutboxIndicator.tsx';

/** Nothing left for this annotator on the server (204): how many they did, and whether all of it arrived. */
export function FinishedScreen({ retryAfterMs }: { retryAfterMs: number | null }) {
  const pack = useCollectionStore((s) => s.pack);
  const annotator = useCollectionStore((s) => s.annotator);
  const done = useCollectionStore((s) => s.done);
  const canReview = useWorkspaceStore((s) => s.phase.kind === 'ready' && s.loaded?.server !== undefined);
  return (
    <main className="center-card">
      <h1>All done</h1>
      <p>
        Nothing is left for <strong>{annotator}</strong> in pack <strong>{pack?.name}</strong>: you submitted {done} item{done === 1 ? '' : 's'}. Thank you!
      </p>
      {retryAfterMs !== null && <p>Other annotators still hold a few items. If one comes back to you, it opens here by itself: keep this page open, or come back later.</p>}
      <p>
        <OutboxIndicator />
      </p>
      <p className="finished-actions">
        {canReview && (
          <button type="button" onClick={showSubmitted}>
            Review my submissions
          </button>
        )}
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </p>
    </main>
  );
}
