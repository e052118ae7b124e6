/** The static mode's end of a pack: the counts of the annotator's work and the button that exports their file. */
import { useMemo } from 'react';
import { FinishedScreen } from './FinishedScreen.tsx';
import { exportAnnotations, showItem } from './session.ts';
import { plural, workLines } from './workSummary.ts';
import { useWorkspaceStore } from './workspaceStore.ts';

export function PackDone() {
  const submitted = useWorkspaceStore((s) => s.submitted);
  const total = useWorkspaceStore((s) => s.loaded?.pack.items.length ?? 0);
  const stats = useMemo(() => [`${submitted.size} of ${plural(total, 'item')} submitted`, ...workLines(submitted.values())], [submitted, total]);
  return (
    <FinishedScreen
      heading={`All ${plural(total, 'item')} ${total === 1 ? 'is' : 'are'} done`}
      stats={stats}
      note="Your work is saved in this browser. Export your file and send it to your project lead; you can still go back and revise any item."
    >
      <button type="button" className="primary" onClick={exportAnnotations}>
        Export annotations
      </button>
      <button type="button" onClick={() => showItem(useWorkspaceStore.getState().index)}>
        Back to the items
      </button>
    </FinishedScreen>
  );
}
