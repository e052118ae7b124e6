import { useSyncExternalStore } from 'react';
import { onSaveStateChange, saveState } from '../../storage/annotatorWork.ts';

let cached = saveState();
function snapshot() {
  const next = saveState();
  if (next.pending !== cached.pending || next.error !== cached.error) cached = next;
  return cached;
}

/** "Saved" / "Saving…" / an error, so the annotator can trust that nothing is lost. */
export function SaveIndicator() {
  const s = useSyncExternalStore(onSaveStateChange, snapshot);
  if (s.error) {
    return (
      <span role="alert" className="save save-error">
        Not saved: {s.error}
      </span>
    );
  }
  return <span className="save">{s.pending > 0 ? 'Saving…' : 'Saved'}</span>;
}
