/** The static mode's end of a pack: the counts of the annotator's work and the button that exports their file. */
import { useMemo } from 'react';
import { FinishedScreen } from './FinishedScreen.tsx';
import { exportAnnotations, showItem } from './session.ts';
import { useWorkspaceStore } from './workspaceStore.ts';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Active time as "42 s", "12 min" or "2 h 05 min". */
export function formatActiveTime(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

export function PackDone() {
  const submitted = useWorkspaceStore((s) => s.submitted);
  const total = useWorkspaceStore((s) => s.loaded?.pack.items.length ?? 0);
  const stats = useMemo(() => {
    let artifact = 0;
    let misalignment = 0;
    let words = 0;
    let activeMs = 0;
    for (const r of submitted.values()) {
      for (const p of r.points) {
        if (p.kind === 'artifact') artifact++;
        else misalignment++;
      }
      words += r.misalignedTokens.length;
      activeMs += r.activeMs;
    }
    return [
      `${submitted.size} of ${plural(total, 'item')} submitted`,
      `${plural(artifact + misalignment, 'point')} placed (${artifact} artifact, ${misalignment} misalignment)`,
      `${plural(words, 'word')} marked misaligned`,
      `Active time ${formatActiveTime(activeMs)}`,
    ];
  }, [submitted, total]);
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
