import { useEffect, useState } from 'react';
import { tokenSchema } from '../../core/formats/api.ts';
import { listOutbox } from '../../storage/outbox.ts';
import { saveAnnotatorSignIn } from '../../storage/signIn.ts';
import { downloadWaiting, signOut, startCollection } from './annotatorSession.ts';

/**
 * Signed out, or the token refused (revoked, replaced, unknown: `message` is the server's): how
 * to sign in again, and what still waits in this browser (kept, and sent after the next sign-in
 * as the same annotator).
 */
export function SignInScreen({ message, canForget }: { message: string | null; canForget: boolean }) {
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [waiting, setWaiting] = useState<ReadonlyMap<string, number>>(new Map());

  useEffect(() => {
    let live = true;
    listOutbox()
      .then(({ entries }) => {
        const counts = new Map<string, number>();
        for (const e of entries) counts.set(e.annotator, (counts.get(e.annotator) ?? 0) + 1);
        if (live) setWaiting(counts);
      })
      .catch((e: unknown) => console.warn('richhf: the outbox could not be read', e));
    return () => {
      live = false;
    };
  }, []);

  const signIn = async () => {
    const text = link.trim();
    let token = text;
    if (/^https?:\/\//i.test(text)) {
      const url = new URL(text);
      const invite = url.searchParams.get('invite');
      // Another server, or the lead's link: open it as it is.
      if (url.origin !== window.location.origin || invite === null) {
        window.location.assign(url.href);
        return;
      }
      token = invite;
    }
    const t = tokenSchema.safeParse(token);
    if (!t.success) {
      setError(`This is not an invite link: the token ${t.error.issues[0]?.message ?? 'is not valid'}.`);
      return;
    }
    const signIn = { version: 1 as const, token: t.data, held: [] };
    await saveAnnotatorSignIn(signIn).catch((e: unknown) => console.warn('richhf: the sign-in could not be kept', e));
    void startCollection(signIn);
  };

  return (
    <main className="center-card">
      <h1>{message ? 'This invite link does not work' : 'Sign in'}</h1>
      {message ? (
        <p role="alert" className="error">
          {message}
        </p>
      ) : (
        <p>You are signed out of the collection server.</p>
      )}
      {[...waiting].map(([annotator, n]) => (
        <p key={annotator}>
          {n} submission{n === 1 ? '' : 's'} by <strong>{annotator}</strong> {n === 1 ? 'waits' : 'wait'} in this browser: kept, and sent when {annotator} signs in here again.{' '}
          <button type="button" onClick={() => void downloadWaiting(annotator)}>
            Download {n === 1 ? 'it' : 'them'}
          </button>
        </p>
      ))}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void signIn();
        }}
      >
        <label htmlFor="invite-link">Invite link</label>
        <input id="invite-link" value={link} onChange={(e) => setLink(e.target.value)} autoComplete="off" aria-describedby={error ? 'invite-error' : 'invite-hint'} />
        <button type="submit" disabled={link.trim() === ''}>
          Sign in
        </button>
        {error && (
          <p id="invite-error" role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <p id="invite-hint" className="hint">
        Open the invite link your project lead sent you, or paste it here.
      </p>
      {canForget && (
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      )}
    </main>
  );
}
