import { useShallow } from 'zustand/react/shallow';
import { downloadWaiting, retryNow, useCollectionStore } from './annotatorSession.ts';
import { useOutboxStore } from './outboxSender.ts';

/**
 * How many submissions wait in the outbox ("All saved" when none), why they wait, and the ones
 * the server refused, each with its message: nothing is dropped without the annotator seeing it.
 */
export function OutboxIndicator() {
  const { waiting, refused, problem } = useOutboxStore(useShallow((s) => ({ waiting: s.waiting, refused: s.refused, problem: s.problem })));
  const annotator = useCollectionStore((s) => s.annotator);
  // Short, so the top bar keeps its height (the image must not move); the reason is in the tooltip.
  const text = waiting === 0 ? 'All saved' : `${waiting} waiting${problem ? ' (offline)' : ''}`;
  return (
    <span className="outbox">
      <span role="status" aria-label="Submissions" className={waiting === 0 ? 'outbox-state outbox-ok' : 'outbox-state'} title={problem ? `${problem}; retrying` : undefined}>
        Submissions: {text}
      </span>
      {problem && waiting > 0 && (
        <button type="button" onClick={retryNow}>
          Retry now
        </button>
      )}
      {refused.length > 0 && (
        <details className="outbox-refused">
          <summary>{refused.length} not accepted</summary>
          <div role="alert" className="outbox-panel">
            <p>The server did not accept these submissions. They are kept in this browser.</p>
            <ul>
              {refused.map((r) => (
                <li key={r.clientId}>
                  Item {r.itemId}: {r.message}
                </li>
              ))}
            </ul>
            <button type="button" onClick={retryNow}>
              Try again
            </button>{' '}
            {annotator && (
              <button type="button" onClick={() => void downloadWaiting(annotator)}>
                Download them
              </button>
            )}
          </div>
        </details>
      )}
    </span>
  );
}
