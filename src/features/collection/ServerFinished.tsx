import { FinishedScreen } from '../annotate/FinishedScreen.tsx';
import { useWorkspaceStore } from '../annotate/workspaceStore.ts';
import { showSubmitted, signOut, useCollectionStore } from './annotatorSession.ts';
import { OutboxIndicator } from './OutboxIndicator.tsx';

/** Nothing left for this annotator on the server (204): how many they did, and whether all of it arrived. */
export function ServerFinished({ retryAfterMs }: { retryAfterMs: number | null }) {
  const pack = useCollectionStore((s) => s.pack);
  const done = useCollectionStore((s) => s.done);
  const canReview = useWorkspaceStore((s) => s.phase.kind === 'ready' && s.loaded?.server !== undefined);
  const stats = [`You submitted ${done} item${done === 1 ? '' : 's'} to pack ${pack?.name ?? ''}`];
  if (retryAfterMs !== null) stats.push('Other annotators still hold a few items: if one comes back to you, it opens here by itself');
  return (
    <main className="workspace-body">
      <FinishedScreen heading="All done" stats={stats} note="Thank you! What you submitted is on the server, or on its way:">
        <OutboxIndicator inline />
        {canReview && (
          <button type="button" className="primary" onClick={showSubmitted}>
            Review my submissions
          </button>
        )}
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </FinishedScreen>
    </main>
  );
}
