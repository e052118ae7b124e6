import { useCollectionStore } from './collectionStore.ts';

/**
 * A study participant's completion code and the way back to their platform, on the finished
 * screen: shown only once completion.ts found the stored outbox empty and the server said they
 * are complete; until then, what it waits for.
 */
export function StudyCompletion() {
  const completion = useCollectionStore((s) => s.completion);
  switch (completion.kind) {
    case 'complete':
      return (
        <section className="study-completion" aria-label="Completion code">
          <p>
            Your completion code: <strong className="completion-code">{completion.code}</strong>
          </p>
          {completion.url !== null && (
            <a className="button primary" href={completion.url} rel="noreferrer">
              Return to the study platform
            </a>
          )}
        </section>
      );
    case 'waiting':
      return (
        <p role="status" aria-label="Completion code">
          Your completion code appears here once the server has all your work: {completion.count === 1 ? '1 submission is' : `${completion.count} submissions are`} still being
          sent. Keep this page open.
        </p>
      );
    case 'notYet':
    case 'checking':
      return (
        <p role="status" aria-label="Completion code">
          Checking with the server that all your work arrived…{completion.kind === 'notYet' && completion.message ? ` (${completion.message})` : ''}
        </p>
      );
  }
}
