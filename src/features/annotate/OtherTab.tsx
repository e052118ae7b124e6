/** The annotator's work is open in another tab (or was taken over by one): say so, and offer to move it here. */
import { startSession } from './session.ts';
import { useWorkspaceStore } from './workspaceStore.ts';

export function OtherTab({ lost }: { lost: boolean }) {
  const annotator = useWorkspaceStore((s) => s.annotator);
  const loaded = useWorkspaceStore((s) => s.loaded);
  return (
    <main className="center-card">
      <h1>{lost ? 'This work was opened in another tab' : 'This work is open in another tab'}</h1>
      <p>
        Only one tab at a time edits the work of <strong>{annotator}</strong> on pack <strong>{loaded?.pack.name}</strong>, so that no tab overwrites another's edits.{' '}
        {lost ? 'This tab stopped saving when the other one took over; everything it saved is kept.' : ''}
      </p>
      <button type="button" onClick={() => annotator && loaded && void startSession(annotator, loaded, true)}>
        Use this tab instead
      </button>
    </main>
  );
}
