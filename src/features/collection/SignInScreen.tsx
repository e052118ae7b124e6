import { useEffect, useState } from 'react';
import { asSentence } from '../../core/text/sentence.ts';
import { listOutbox } from '../../storage/outbox.ts';
import { describeStorageError } from '../../storage/storageError.ts';
import { signOut } from './annotatorSession.ts';
import { WaitingDownload } from './WaitingDownload.tsx';

/**
 * Signed out, or the token refused (revoked, replaced, unknown: `message` is the server's): how
 * to sign in again (open an invite link), and what still waits in this browser (kept, and sent
 * after the next sign-in as the same annotator). `canForget`: the token once signed someone in
 * (Sign out is offered only then).
 */
export function SignInScreen({ message, canForget }: { message: string | null; canForget: boolean }) {
  const [waiting, setWaiting] = useState<ReadonlyMap<string, number>>(new Map());
  const [unreadable, setUnreadable] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    listOutbox()
      .then(({ entries }) => {
        const counts = new Map<string, number>();
        for (const e of entries) counts.set(e.annotator, (counts.get(e.annotator) ?? 0) + 1);
        if (live) setWaiting(counts);
      })
      .catch((e: unknown) => {
        if (live) setUnreadable(describeStorageError(e));
      });
    return () => {
      live = false;
    };
  }, []);

  return (
    <main className="center-card">
      <h1>{message ? 'This invite link does not work' : 'Signed out'}</h1>
      {message ? (
        <p role="alert" className="error">
          {asSentence(message)}
        </p>
      ) : (
        <p>You are signed out of the collection server.</p>
      )}
      <p>To sign in, open the invite link your project lead sent you.</p>
      {[...waiting].map(([annotator, n]) => (
        <p key={annotator}>
          {n} submission{n === 1 ? '' : 's'} by <strong>{annotator}</strong> {n === 1 ? 'waits' : 'wait'} in this browser: kept, and sent when {annotator} signs in here again.{' '}
          <WaitingDownload annotator={annotator} label={`Download ${n === 1 ? 'it' : 'them'}`} />
        </p>
      ))}
      {unreadable && <p role="alert">What waits in this browser could not be read: {unreadable}</p>}
      {canForget && (
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      )}
    </main>
  );
}
