import { useSyncExternalStore } from 'react';
import { onSaveStateChange, saveState } from '../../storage/annotatorWork.ts';

let cached = saveState();
function snapshot() {
  const next = saveState();
  if (next.pending !== cached.pending || next.error !== cached.error) cached = next;
  return cached;
}

/**
 * "Saved" / "Saving…" / an error, so the annotator can trust that nothing is lost. `onlyHere`:
 * on a collection server with submissions still waiting, the work is safe in this browser but not
 * yet on the server: "Saved here", in the muted colour, beside the outbox's count.
 */
export function SaveIndicator({ onlyHere = false }: { onlyHere?: boolean }) {
  const s = useSyncExternalStore(onSaveStateChange, snapshot);
  if (s.error) {
    return (
      <span role="alert" className="save save-error">
        Not saved: {s.error}
      </span>
    );
  }
  if (s.pending > 0) return <span className="save">Saving…</span>;
  return onlyHere ? <span className="save save-here">Saved here</span> : <span className="save">Saved</span>;
}
