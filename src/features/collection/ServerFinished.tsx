import { useMemo } from 'react';
import { FinishedScreen } from '../annotate/FinishedScreen.tsx';
import { plural, workLines } from '../annotate/workSummary.ts';
import { useWorkspaceStore } from '../annotate/workspaceStore.ts';
import { showSubmitted, signOut } from './annotatorSession.ts';
import { useCollectionStore } from './collectionStore.ts';
import { OutboxIndicator } from './OutboxIndicator.tsx';
import { StudyCompletion } from './StudyCompletion.tsx';
import { exportSubmitted } from './submittedFile.ts';

/**
 * Nothing left for this annotator on the server (204): what they did, whether all of it arrived,
 * and the same actions however they got here (in this visit, after a reload, in another browser):
 * review and revise what they submitted, export their file, sign out. The workspace is open on
 * their submitted items behind this screen (itemSupply.ts), unless another tab holds their work.
 * Someone who has submitted nothing reads "Nothing to do yet" instead: the page waits for an
 * item on the server and opens it by itself.
 */
export function ServerFinished({ retryAfterMs }: { retryAfterMs: number | null }) {
  const pack = useCollectionStore((s) => s.pack);
  const study = useCollectionStore((s) => s.study);
  const done = useCollectionStore((s) => s.done);
  const submitted = useWorkspaceStore((s) => s.submitted);
  const canReview = useWorkspaceStore((s) => s.phase.kind === 'ready' && s.loaded?.server !== undefined);
  // The pair workspace behind this screen (comparison items only): Review opens it, and Export holds its pairs too.
  const pairs = useCollectionStore((s) => s.view === 'pair');
  // A new annotator with nothing to do yet (all items held or done by others) has not finished anything.
  const nothingYet = done === 0 && submitted.size === 0;
  const stats = useMemo(() => {
    if (nothingYet) return ['There is no item for you right now', 'When one comes free, it opens here by itself: you can leave this page open'];
    const lines = [`You submitted ${plural(done, 'item')} to pack ${pack?.name ?? ''}`];
    if (canReview) lines.push(...workLines(submitted.values()));
    if (retryAfterMs !== null) lines.push('Other annotators still hold a few items: if one comes back to you, it opens here by itself');
    return lines;
  }, [done, pack, canReview, submitted, retryAfterMs, nothingYet]);
  return (
    <main className="workspace-body">
      <FinishedScreen
        heading={nothingYet ? 'Nothing to do yet' : 'All done'}
        stats={stats}
        note={nothingYet ? undefined : 'Thank you! What you submitted is on the server, or on its way:'}
      >
        {!nothingYet && <OutboxIndicator inline />}
        {study && <StudyCompletion />}
        {(canReview || pairs) && !nothingYet && (
          <>
            <button type="button" className="primary" onClick={showSubmitted}>
              Review my submissions
            </button>
            <button type="button" onClick={exportSubmitted}>
              Export annotations
            </button>
          </>
        )}
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </FinishedScreen>
    </main>
  );
}
