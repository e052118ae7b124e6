/**
 * The review page on a collection server (`/?lead=TOKEN#/review`, then the kept sign-in): live
 * progress, invites, crowd studies, and the review page's agreement, item table, item view and exports on the
 * server's submissions (leadStore.ts feeds them). Loaded lazily, with the review page's parts.
 */
import { useEffect, useState } from 'react';
import { tokenSchema } from '../../core/formats/api.ts';
import { asSentence } from '../../core/text/sentence.ts';
import type { LeadSignIn } from '../../storage/records/signIn.ts';
import { saveLeadSignIn } from '../../storage/signIn.ts';
import { ComparisonPanel } from '../review/ComparisonPanel.tsx';
import { ReviewPanels } from '../review/ReviewPage.tsx';
import { useReviewStore } from '../review/reviewStore.ts';
import { InvitesPanel } from './InvitesPanel.tsx';
import { closeDashboard, dismissLeadError, downloadFromServer, openDashboard, signOutLead, useLeadStore } from './leadStore.ts';
import { ProgressPanel } from './ProgressPanel.tsx';
import { StudiesPanel } from './StudiesPanel.tsx';
import '../review/review.css';
import './dashboard.css';

export default function LeadDashboard({ signIn, badLink }: { signIn: LeadSignIn | null; badLink: string | null }) {
  const phase = useLeadStore((s) => s.phase);
  const [token, setToken] = useState(signIn?.token ?? null);
  useEffect(() => {
    if (token) void openDashboard(token);
    return closeDashboard;
  }, [token]);

  // The same token again (after a refusal was fixed on the server) opens again; a new one re-runs the effect.
  const onToken = (t: string) => (t === token ? void openDashboard(t) : setToken(t));
  if (!token) return <LeadSignInScreen message={badLink} onToken={onToken} signedIn={false} />;
  switch (phase.kind) {
    case 'connecting':
      return <p className="loading">Signing in to the collection server…</p>;
    case 'refused':
      return <LeadSignInScreen message={phase.message} onToken={onToken} signedIn />;
    case 'unreachable':
      return (
        <main className="center-card">
          <h1>The collection server cannot be reached</h1>
          <p role="alert">{phase.message}</p>
          <button type="button" onClick={() => void openDashboard(token)}>
            Retry
          </button>
        </main>
      );
    case 'ready':
      return <Dashboard />;
  }
}

function Dashboard() {
  const pack = useReviewStore((s) => s.pack);
  const actionError = useReviewStore((s) => s.actionError);
  const dismissError = useReviewStore((s) => s.dismissError);
  const leadError = useLeadStore((s) => s.actionError);
  const comparison = useLeadStore((s) => s.comparison);
  return (
    <main className="rv-page">
      <header className="rv-header db-header">
        <h1>Review</h1>
        {pack && (
          <p>
            Pack <strong>{pack.pack.name}</strong>: {pack.pack.items.length} items, {pack.pack.annotatorsPerItem} annotators per item, on this collection server.
          </p>
        )}
        <span className="db-who">Signed in as the project lead</span>
        <button type="button" onClick={() => void signOutLead()}>
          Sign out
        </button>
      </header>
      {(actionError || leadError) && (
        <div role="alert" className="rv-errors">
          <p>{leadError ?? actionError}</p>
          <button type="button" onClick={leadError ? dismissLeadError : dismissError}>
            Dismiss
          </button>
        </div>
      )}
      <ProgressPanel />
      <InvitesPanel />
      <StudiesPanel />
      <section aria-labelledby="server-files-heading" className="rv-panel">
        <h2 id="server-files-heading">Files from the server</h2>
        <p className="rv-hint">
          Each annotator's file is in the table above (Download file). The dataset below is built by the server, byte for byte what <code>richhf consolidate</code> writes from
          those files; the Parquet download is a ZIP of what <code>richhf consolidate --parquet</code> writes (the images inside, for the Hugging Face hub); the exports further
          down are built here, with the settings of this page.
        </p>
        <button type="button" onClick={() => void downloadFromServer('dataset')}>
          Download the server's dataset
        </button>{' '}
        <button type="button" onClick={() => void downloadFromServer('parquet')}>
          Download the dataset with its images (Parquet)
        </button>
      </section>
      {comparison?.problem && (
        <p role="alert" className="rv-errors">
          The comparison report: {comparison.problem}
        </p>
      )}
      {comparison?.report && <ComparisonPanel report={comparison.report} />}
      {comparison && !comparison.report && !comparison.problem && <p className="rv-hint">The comparison report appears here once annotators have submitted pairs.</p>}
      {pack && <ReviewPanels />}
    </main>
  );
}

/** The `lead` parameter of a pasted link ('' when it is not a URL: "http://" alone, say). */
function leadParam(link: string): string {
  try {
    return new URL(link).searchParams.get('lead') ?? '';
  } catch {
    return '';
  }
}

/**
 * Not signed in (from the server's own page), or the lead's token was refused, or the link is
 * damaged: say why, and take a lead link. Sign out only for a kept token (`signedIn`).
 */
function LeadSignInScreen({ message, onToken, signedIn }: { message: string | null; onToken: (token: string) => void; signedIn: boolean }) {
  const [link, setLink] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const text = link.trim();
    let token = text;
    if (/^https?:\/\//i.test(text)) token = leadParam(text);
    const t = tokenSchema.safeParse(token);
    if (!t.success) {
      setError(`This is not the project lead's link: the token ${t.error.issues[0]?.message ?? 'is not valid'}.`);
      return;
    }
    await saveLeadSignIn({ version: 1, token: t.data }).catch((e: unknown) => console.warn('richhf: the sign-in could not be kept', e));
    onToken(t.data);
  };
  return (
    <main className="center-card">
      <h1>Sign in as the project lead</h1>
      {message && (
        <p role="alert" className="error">
          {asSentence(message)}
        </p>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="lead-link">Lead link</label>
        <input id="lead-link" value={link} onChange={(e) => setLink(e.target.value)} autoComplete="off" />
        <button type="submit" disabled={link.trim() === ''}>
          Sign in
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
      <p className="hint">
        <code>richhf serve</code> printed the lead's link when it started (<code>/?lead=…#/review</code>).
      </p>
      {signedIn && (
        <button type="button" onClick={() => void signOutLead()}>
          Sign out
        </button>
      )}
    </main>
  );
}
