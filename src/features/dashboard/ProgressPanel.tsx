import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatDuration } from '../../core/text/duration.ts';
import { asSentence } from '../../core/text/sentence.ts';
import { formatSeen } from './format.ts';
import { downloadFromServer, revokeAnnotator, useLeadStore } from './leadStore.ts';

/** Live progress from the server's event stream: the collection as a whole and each annotator. */
export function ProgressPanel() {
  const { progress, live } = useLeadStore(useShallow((s) => ({ progress: s.progress, live: s.live })));
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <section aria-labelledby="progress-heading" className="rv-panel">
      <h2 id="progress-heading">Progress</h2>
      <p role="status" className={live.connected ? 'db-live' : 'db-live db-live-off'}>
        {live.connected ? 'Live' : `Reconnecting…${live.problem ? ` ${asSentence(live.problem)}` : ''}`}
      </p>
      {progress && (
        <>
          <p>
            <strong>{progress.completeItems}</strong> of {progress.items} items complete, {progress.submissions} submissions.
          </p>
          <progress max={progress.items} value={progress.completeItems} aria-label="Items complete" />
          {progress.annotators.length === 0 ? (
            <p className="rv-hint">No annotators yet: invite some below.</p>
          ) : (
            <table className="db-table" aria-label="Annotators">
              <thead>
                <tr>
                  <th scope="col">Annotator</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">Leased</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Median active time</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="rv-sr">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {progress.annotators.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.id}</th>
                    <td data-label="Submitted">{a.submitted}</td>
                    <td data-label="Leased">{a.leased}</td>
                    <td data-label="Last seen">{formatSeen(a.lastSeenAt)}</td>
                    <td data-label="Median active time">{a.medianActiveMs === null ? '–' : formatDuration(a.medianActiveMs)}</td>
                    <td data-label="Status">{a.revoked ? 'Revoked' : 'Active'}</td>
                    <td className="db-actions">
                      <button type="button" disabled={a.submitted === 0} onClick={() => void downloadFromServer({ annotator: a.id })} aria-label={`Download the file of ${a.id}`}>
                        Download file
                      </button>
                      {!a.revoked &&
                        (confirming === a.id ? (
                          <>
                            <button
                              type="button"
                              onClick={() => {
                                setConfirming(null);
                                void revokeAnnotator(a.id);
                              }}
                            >
                              Confirm: revoke {a.id}
                            </button>
                            <button type="button" onClick={() => setConfirming(null)}>
                              Cancel
                            </button>
                          </>
                        ) : (
                          <button type="button" onClick={() => setConfirming(a.id)} aria-label={`Revoke ${a.id}`}>
                            Revoke
                          </button>
                        ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
