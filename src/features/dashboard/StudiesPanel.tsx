import { useEffect, useId, useState } from 'react';
import type { ParticipantRow, ParticipantStatus, Study, StudyCreate } from '../../core/formats/studyLead.ts';
import { formatDuration } from '../../core/text/duration.ts';
import { asSentence } from '../../core/text/sentence.ts';
import { copy } from './clipboard.ts';
import { formatSeen } from './format.ts';
import { downloadFromServer, useLeadStore } from './leadStore.ts';
import { changeStudy, createStudy, previewStudy, refreshStudies, useStudiesStore } from './studiesStore.ts';

const STATUS_WORDS: Record<ParticipantStatus, string> = { working: 'Working', completed: 'Completed', revoked: 'Revoked', rejected: 'Rejected' };

/** A whole number from a form field, or null when empty. */
function count(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}

/**
 * Crowd studies (README "Running a crowd study"): make one, copy its link for the platform,
 * open or close it, change its quota, and follow its participants live, with the figures of
 * the participants export.
 */
export function StudiesPanel() {
  const studies = useStudiesStore((s) => s.studies);
  const problem = useStudiesStore((s) => s.problem);
  const progress = useLeadStore((s) => s.progress);
  // Each change of progress (an enrolment, a submission) refreshes the studies and participants.
  useEffect(() => {
    void refreshStudies();
  }, [progress]);

  return (
    <section aria-labelledby="studies-heading" className="rv-panel">
      <h2 id="studies-heading">Crowd studies</h2>
      <NewStudyForm />
      {problem && (
        <p role="alert" className="rv-errors">
          The studies could not be read: {asSentence(problem)}
        </p>
      )}
      {studies?.map((s) => (
        <StudyView key={s.id} study={s} />
      ))}
      {studies && studies.length > 0 && (
        <button type="button" onClick={() => void downloadFromServer('participants')}>
          Download participants (CSV)
        </button>
      )}
    </section>
  );
}

function NewStudyForm() {
  const id = useId();
  const [name, setName] = useState('');
  const [quota, setQuota] = useState('');
  const [maxParticipants, setMaxParticipants] = useState('');
  const [code, setCode] = useState('');
  const [url, setUrl] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const body: StudyCreate = {
      name: name.trim(),
      quota: count(quota),
      maxParticipants: count(maxParticipants),
      ...(code.trim() !== '' ? { completionCode: code.trim() } : {}),
      completionUrl: url.trim() === '' ? null : url.trim(),
    };
    setBusy(true);
    if (await createStudy(body)) {
      setName('');
      setQuota('');
      setMaxParticipants('');
      setCode('');
      setUrl('');
    }
    setBusy(false);
  };
  return (
    <form
      className="db-study-form"
      aria-label="New study"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`${id}-name`}>Study name</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required />
      <label htmlFor={`${id}-quota`}>Items per participant</label>
      <input id={`${id}-quota`} type="number" min={1} value={quota} onChange={(e) => setQuota(e.target.value)} placeholder="no limit" />
      <label htmlFor={`${id}-max`}>Most participants</label>
      <input id={`${id}-max`} type="number" min={1} value={maxParticipants} onChange={(e) => setMaxParticipants(e.target.value)} placeholder="no limit" />
      <label htmlFor={`${id}-code`}>Completion code</label>
      <input id={`${id}-code`} value={code} onChange={(e) => setCode(e.target.value)} placeholder="made by the server" autoComplete="off" />
      <label htmlFor={`${id}-url`}>Completion URL</label>
      <input id={`${id}-url`} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://app.prolific.com/submissions/complete?cc={code}" />
      <button type="submit" disabled={busy || name.trim() === ''}>
        Create study
      </button>
    </form>
  );
}

function StudyView({ study }: { study: Study }) {
  const fieldId = useId();
  const link = useStudiesStore((s) => s.links[study.id]);
  const rows = useStudiesStore((s) => s.participants).filter((p) => p.study === study.id);
  const [copied, setCopied] = useState(false);
  const [quota, setQuota] = useState(study.quota === null ? '' : String(study.quota));
  const [preview, setPreview] = useState<string | null>(null);
  const openPreview = async () => {
    // Opened by the click itself: a tab opened once the server has answered would be a blocked pop-up.
    const tab = window.open('', '_blank');
    setPreview(await previewStudy(study.id, tab));
  };
  return (
    <section className="db-study" aria-label={`Study ${study.name}`}>
      <h3>
        {study.name}{' '}
        <span className="rv-hint">
          ({study.id}, {study.open ? 'open' : 'closed'})
        </span>
      </h3>
      <p>
        {study.participants} participant{study.participants === 1 ? '' : 's'}
        {study.maxParticipants !== null ? ` of at most ${study.maxParticipants}` : ''}, {study.completed} completed.{' '}
        {study.quota !== null ? `${study.quota} item${study.quota === 1 ? '' : 's'} per participant.` : 'No quota.'} Completion code <strong>{study.completionCode}</strong>
        {study.completionUrl ? `, then ${study.completionUrl}` : ''}.
      </p>
      {link ? (
        <p className="db-study-link">
          <input id={fieldId} className="db-link" readOnly value={link} aria-label={`Link of study ${study.name}`} onFocus={(e) => e.currentTarget.select()} />
          <button type="button" onClick={() => void copy(link, document.getElementById(fieldId) as HTMLInputElement | null).then(setCopied)}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </p>
      ) : (
        <p className="rv-hint">The server keeps only a hash of the study link: it was shown when the study was made. New link makes another (the old one stops enrolling).</p>
      )}
      <p className="db-actions">
        <button type="button" onClick={() => void changeStudy(study.id, { open: !study.open })}>
          {study.open ? 'Close study' : 'Open study'}
        </button>
        <button type="button" onClick={() => void changeStudy(study.id, { newLink: true })}>
          New link
        </button>
        <button type="button" onClick={() => void openPreview()}>
          Preview as a participant
        </button>
      </p>
      {preview && (
        <p className="rv-hint">
          The preview opened in a new tab (
          <a href={preview} target="_blank" rel="noopener noreferrer">
            open it again
          </a>
          ). Its work never counts toward K, the exports or the participants.
        </p>
      )}
      <form
        className="db-study-quota"
        onSubmit={(e) => {
          e.preventDefault();
          void changeStudy(study.id, { quota: count(quota) });
        }}
      >
        <label htmlFor={`${fieldId}-quota`}>Quota of {study.name}</label>
        <input id={`${fieldId}-quota`} type="number" min={1} value={quota} onChange={(e) => setQuota(e.target.value)} placeholder="no limit" />
        <button type="submit">Set quota</button>
      </form>
      {rows.length > 0 && <ParticipantsTable name={study.name} rows={rows} />}
    </section>
  );
}

function ParticipantsTable({ name, rows }: { name: string; rows: readonly ParticipantRow[] }) {
  return (
    <table className="db-table" aria-label={`Participants of ${name}`}>
      <thead>
        <tr>
          <th scope="col">Participant</th>
          <th scope="col">Platform</th>
          <th scope="col">Items</th>
          <th scope="col">Started</th>
          <th scope="col">Completed</th>
          <th scope="col">Active time</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.annotator}>
            <th scope="row">{p.participant}</th>
            <td data-label="Platform">
              {[
                p.prolificStudyId && `study ${p.prolificStudyId}`,
                p.prolificSessionId && `session ${p.prolificSessionId}`,
                p.assignmentId && `assignment ${p.assignmentId}`,
                p.hitId && `HIT ${p.hitId}`,
              ]
                .filter(Boolean)
                .join(', ') || '–'}
            </td>
            <td data-label="Items">{p.itemsSubmitted}</td>
            <td data-label="Started">{formatSeen(p.startedAt)}</td>
            <td data-label="Completed">{p.completedAt === null ? '–' : formatSeen(p.completedAt)}</td>
            <td data-label="Active time">{formatDuration(p.activeMs)}</td>
            <td data-label="Status">{STATUS_WORDS[p.status]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
