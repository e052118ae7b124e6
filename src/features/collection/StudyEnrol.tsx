import { useEffect, useState } from 'react';
import { parseValue } from '../../core/formats/located.ts';
import { participantIdSchema } from '../../core/formats/study.ts';
import { asSentence } from '../../core/text/sentence.ts';
import type { AnnotatorSignIn } from '../../storage/records/signIn.ts';
import { loadAnnotatorSignIn, saveAnnotatorSignIn } from '../../storage/signIn.ts';
import { ApiError } from './api.ts';
import { enrol } from './studyApi.ts';
import type { StudyLink } from './startMode.ts';
import './collection.css';

type Step =
  | { readonly kind: 'asking'; readonly problem: string | null }
  | { readonly kind: 'enrolling' }
  /** Refused as it is (closed, full, removed, a link that is not one): `message` is the server's. */
  | { readonly kind: 'refused'; readonly message: string }
  /** No answer, or too many enrolments at once: try again. */
  | { readonly kind: 'unreachable'; readonly message: string };

/**
 * A crowd study's link opened (`/?study=TOKEN&PROLIFIC_PID=…`, the token already off the
 * address bar): enrols the participant, asking for their id when the platform sent none, and
 * hands the page the annotator sign-in the server issued, kept like an invite's. A participant
 * already enrolled (another browser, a second click) gets the same annotator back; the sign-in
 * kept in this browser for them keeps the items it holds.
 */
/** Enrols through `link` and keeps the sign-in: the sign-in, or the step to show. */
async function enrolThrough(link: StudyLink, participant: string): Promise<{ signIn: AnnotatorSignIn } | { step: Step }> {
  try {
    const answer = await enrol({ study: link.token, participant, ...(Object.keys(link.platform).length > 0 ? { platform: link.platform } : {}) });
    const kept = await loadAnnotatorSignIn().catch(() => null);
    const signIn: AnnotatorSignIn = kept?.annotator === answer.annotator ? { ...kept, token: answer.token } : { version: 1, token: answer.token, held: [] };
    await saveAnnotatorSignIn(signIn).catch((e: unknown) => console.warn('richhf: the sign-in could not be kept in this browser', e));
    return { signIn };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof ApiError && e.status === 400 && link.participant === undefined) return { step: { kind: 'asking', problem: message } };
    if (e instanceof ApiError && e.retryable) return { step: { kind: 'unreachable', message } };
    return { step: { kind: 'refused', message } };
  }
}

/**
 * A crowd study's link opened (`/?study=TOKEN&PROLIFIC_PID=…`, the token already off the
 * address bar): enrols the participant, asking for their id when the platform sent none, and
 * hands the page the annotator sign-in the server issued, kept like an invite's. A participant
 * already enrolled (another browser, a second click) gets the same annotator back; the sign-in
 * kept in this browser for them keeps the items it holds. `onEnrolled` must be stable.
 */
export default function StudyEnrol({ link, onEnrolled }: { link: StudyLink; onEnrolled: (signIn: AnnotatorSignIn) => void }) {
  const [step, setStep] = useState<Step>(link.participant === undefined ? { kind: 'asking', problem: null } : { kind: 'enrolling' });
  const [typed, setTyped] = useState('');

  const settle = (r: { signIn: AnnotatorSignIn } | { step: Step }) => ('signIn' in r ? onEnrolled(r.signIn) : setStep(r.step));
  const go = (participant: string) => {
    setStep({ kind: 'enrolling' });
    void enrolThrough(link, participant).then(settle);
  };

  useEffect(() => {
    if (link.participant === undefined) return;
    let live = true;
    void enrolThrough(link, link.participant).then((r) => {
      if (!live) return;
      if ('signIn' in r) onEnrolled(r.signIn);
      else setStep(r.step);
    });
    return () => {
      live = false;
    };
  }, [link, onEnrolled]);

  switch (step.kind) {
    case 'enrolling':
      return <p className="loading">Joining the study…</p>;
    case 'refused':
      return (
        <main className="center-card">
          <h1>You cannot take part in this study</h1>
          <p role="alert" className="error">
            {asSentence(step.message)}
          </p>
        </main>
      );
    case 'unreachable':
      return (
        <main className="center-card">
          <h1>The study cannot be reached</h1>
          <p role="alert">{asSentence(step.message)}</p>
          <button type="button" className="primary" onClick={() => go(link.participant ?? typed)}>
            Try again
          </button>
        </main>
      );
    case 'asking':
      return (
        <main className="center-card">
          <h1>Join the study</h1>
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              const id = typed.trim();
              const checked = parseValue('participant', id, participantIdSchema);
              if (!checked.ok) setStep({ kind: 'asking', problem: `Your participant ID ${checked.errors[0]!.message}` });
              else go(id);
            }}
          >
            <p>
              <label>
                Your participant ID <input value={typed} onChange={(ev) => setTyped(ev.target.value)} autoComplete="off" spellCheck={false} maxLength={64} required />
              </label>
            </p>
            {step.problem && (
              <p role="alert" className="error">
                {asSentence(step.problem)}
              </p>
            )}
            <button type="submit" className="primary">
              Start
            </button>
          </form>
        </main>
      );
  }
}
