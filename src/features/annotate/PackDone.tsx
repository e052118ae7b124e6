/**
 * The static mode's end of a pack: the counts of the annotator's work and the button that exports
 * their file. On a pack of both kinds, its rating items are done first: the pairs come next
 * (`pairs`: how many, the way to them, and the Export that holds both kinds, bothKindsFile.ts).
 */
import { useMemo } from 'react';
import { FinishedScreen } from './FinishedScreen.tsx';
import { exportAnnotations, showItem } from './session.ts';
import { plural, workLines } from './workSummary.ts';
import { useWorkspaceStore } from './workspaceStore.ts';

export function PackDone({ pairs }: { pairs?: { count: number; open: () => void; exportFile: () => void } }) {
  const submitted = useWorkspaceStore((s) => s.submitted);
  const total = useWorkspaceStore((s) => s.loaded?.pack.items.length ?? 0);
  const stats = useMemo(() => [`${submitted.size} of ${plural(total, 'item')} submitted`, ...workLines(submitted.values())], [submitted, total]);
  const exportFile = pairs?.exportFile ?? exportAnnotations;
  return (
    <FinishedScreen
      heading={`All ${plural(total, 'item')} ${total === 1 ? 'is' : 'are'} done`}
      stats={stats}
      note={
        pairs
          ? `Next in this pack: ${plural(pairs.count, 'pair')} of images to compare. Your work is saved in this browser; you can still go back and revise any item.`
          : 'Your work is saved in this browser. Export your file and send it to your project lead; you can still go back and revise any item.'
      }
    >
      {pairs && (
        <button type="button" className="primary" onClick={pairs.open}>
          Go on to the pairs
        </button>
      )}
      <button type="button" className={pairs ? undefined : 'primary'} onClick={exportFile}>
        Export annotations
      </button>
      <button type="button" onClick={() => showItem(useWorkspaceStore.getState().index)}>
        Back to the items
      </button>
    </FinishedScreen>
  );
}
