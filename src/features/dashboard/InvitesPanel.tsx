import { useId, useState } from 'react';
import { idSchema } from '../../core/formats/index.ts';
import { createInvites, useLeadStore } from './leadStore.ts';

/** Copies through the Clipboard API, or (plain http on a LAN address has none) by selecting the text. */
async function copy(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    field?.select();
    return document.execCommand('copy');
  }
}

/** Invite annotators (one id per line) and hand out their links; a link is shown once, when made. */
export function InvitesPanel() {
  const invites = useLeadStore((s) => s.invites);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldId = useId();

  const submit = async () => {
    const ids = [
      ...new Set(
        text
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l !== ''),
      ),
    ];
    for (const id of ids) {
      const r = idSchema.safeParse(id);
      if (!r.success) {
        setError(`"${id}": an annotator ID ${r.error.issues[0]?.message ?? 'is invalid'}.`);
        return;
      }
    }
    setError(null);
    setBusy(true);
    if (await createInvites(ids)) setText('');
    setBusy(false);
  };

  return (
    <section aria-labelledby="invites-heading" className="rv-panel">
      <h2 id="invites-heading">Invites</h2>
      <form
        className="db-invite-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={fieldId}>Annotator IDs (one per line)</label>
        <textarea id={fieldId} rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${fieldId}-hint`} />
        <button type="submit" disabled={busy || text.trim() === ''}>
          Create invite links
        </button>
      </form>
      <p id={`${fieldId}-hint`} className="rv-hint">
        Each link signs one annotator in. An ID invited again gets a new link, and its old link stops working (its work is kept).
      </p>
      {error && (
        <p role="alert" className="rv-errors">
          {error}
        </p>
      )}
      {invites.length > 0 && (
        <table className="db-table" aria-label="Invite links">
          <thead>
            <tr>
              <th scope="col">Annotator</th>
              <th scope="col">Link</th>
              <th scope="col">
                <span className="rv-sr">Copy</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {invites.map((i) => (
              <tr key={i.annotator}>
                <th scope="row">{i.annotator}</th>
                <td className="db-wide">
                  <input
                    id={`${fieldId}-${i.annotator}`}
                    className="db-link"
                    readOnly
                    value={i.url}
                    aria-label={`Invite link of ${i.annotator}`}
                    onFocus={(e) => e.currentTarget.select()}
                  />
                </td>
                <td className="db-wide">
                  <button
                    type="button"
                    className="db-copy"
                    aria-label={`Copy the invite link of ${i.annotator}`}
                    onClick={() =>
                      void copy(i.url, document.getElementById(`${fieldId}-${i.annotator}`) as HTMLInputElement | null).then((ok) => setCopied(ok ? i.annotator : null))
                    }
                  >
                    {copied === i.annotator ? 'Copied' : 'Copy link'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
