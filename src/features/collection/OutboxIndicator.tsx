import { retryNow } from './annotatorSession.ts';
import { useCollectionStore } from './collectionStore.ts';
import { useOutboxStore } from './outboxStore.ts';
import { WaitingDownload } from './WaitingDownload.tsx';

/**
 * How many submissions wait in the outbox ("All saved" when none), why they wait, and the ones
 * the server refused, each with its message: nothing is dropped without the annotator seeing it.
 * In the top bar only the count shows, in a fixed-width slot, so a change never moves the image;
 * the rest (OutboxPanel) floats over the image below the toolbar (Workspace's `floating`).
 * `inline` lays it all out in the flow (the full-page screens).
 */
export function OutboxIndicator({ inline = false, idleMessage = null }: { inline?: boolean; idleMessage?: string | null }) {
  const waiting = useOutboxStore((s) => s.waiting);
  const problem = useOutboxStore((s) => s.problem);
  const offline = problem !== null && waiting > 0;
  const state = waiting === 0 ? 'outbox-ok' : offline ? 'outbox-off' : '';
  return (
    <div className={inline ? 'outbox-slot outbox-inline' : 'outbox-slot'}>
      <span role="status" aria-label="Submissions" className={`outbox-state ${state}`} title={offline ? `Not sent yet: ${problem}` : undefined}>
        Submissions: {waiting === 0 ? 'All saved' : `${waiting} waiting`}
      </span>
      {inline && <OutboxPanel idleMessage={idleMessage} />}
    </div>
  );
}

/** Why submissions wait, the refused ones with the server's messages, and what to do; nothing when all is well. */
export function OutboxPanel({ idleMessage = null }: { idleMessage?: string | null }) {
  const waiting = useOutboxStore((s) => s.waiting);
  const refused = useOutboxStore((s) => s.refused);
  const problem = useOutboxStore((s) => s.problem);
  const annotator = useCollectionStore((s) => s.annotator);
  const offline = problem !== null && waiting > 0;
  if (!offline && refused.length === 0 && !idleMessage) return null;
  return (
    <div className="outbox-panel">
      {idleMessage && <p className="outbox-line">{idleMessage}</p>}
      {offline && (
        <p className="outbox-line">
          The server cannot be reached: they are kept here and sent as soon as it answers.{' '}
          <button type="button" onClick={retryNow}>
            Retry now
          </button>
        </p>
      )}
      {refused.length > 0 && (
        <details className="outbox-refused">
          <summary>{refused.length} not accepted</summary>
          <div role="alert" className="outbox-line">
            The server did not accept {refused.length === 1 ? 'this submission' : 'these submissions'}; kept in this browser.
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
            {annotator && <WaitingDownload annotator={annotator} label="Download them" />}
          </div>
        </details>
      )}
    </div>
  );
}
